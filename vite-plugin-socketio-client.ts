/**
 * Serves socket.io-client's browser bundle from this app at `/examples/socket.io.min.js`, for
 * the chapter's HTML client page (public/examples/socketio-client.html), which loaded it from a
 * CDN. The page's CSP allows scripts from this server only, and a workshop LAN may have no
 * internet.
 *
 * Why not Socket.IO's own `/socket.io/socket.io.js`: `serveClient` is wired up by
 * `io.attach(httpServer)` only, which the server deliberately does not use (it binds an
 * Engine.IO server by hand and routes `/socket.io/` to it: server/socketio/socketio-server.ts),
 * so that path is answered by Engine.IO. Copying the bundle at build time also keeps it the
 * exact version package.json installs, with no copy in the repository to go stale.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Plugin } from "vite";

/** Where the page finds the client, relative to the app's root. */
export const SOCKET_IO_CLIENT_SCRIPT = "examples/socket.io.min.js";

const clientDist = join(
  dirname(createRequire(import.meta.url).resolve("socket.io-client/package.json")),
  "dist",
);

/** The bundle and its source map (the bundle names it), as files of the built app. */
const FILES = [
  { fileName: SOCKET_IO_CLIENT_SCRIPT, source: "socket.io.min.js", type: "text/javascript" },
  {
    fileName: `${SOCKET_IO_CLIENT_SCRIPT}.map`,
    source: "socket.io.min.js.map",
    type: "application/json",
  },
] as const;

export function socketIoClientScript(): Plugin {
  return {
    name: "socketio-client-script",
    configureServer(server) {
      for (const file of FILES) {
        server.middlewares.use(`/${file.fileName}`, (_request, response) => {
          response.setHeader("Content-Type", `${file.type}; charset=utf-8`);
          response.end(readFileSync(join(clientDist, file.source)));
        });
      }
    },
    generateBundle() {
      for (const file of FILES) {
        this.emitFile({
          type: "asset",
          fileName: file.fileName,
          source: readFileSync(join(clientDist, file.source)),
        });
      }
    },
  };
}
