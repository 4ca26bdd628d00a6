import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { socketIoClientScript } from "./vite-plugin-socketio-client.ts";

export default defineConfig({
  // socketIoClientScript: the chapter's Socket.IO client page gets its script from this server.
  plugins: [react(), socketIoClientScript()],
  // dist/app is the page; dist/lib is the server built as a library (tsconfig.lib.json).
  build: {
    outDir: "dist/app",
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    modulePreload: {
      // The card's panels are imported at startup (ConnectionCard.tsx); Vite's helper would add
      // a <link rel=modulepreload> per dependency of each, about 1 ms per link inside the
      // startup task. The browser fetches those few small chunks by itself; only a panel's CSS
      // still needs the helper, and index.html keeps its preloads for the entry's own imports.
      resolveDependencies: (_file, deps, { hostType }) =>
        hostType === "html" ? deps : deps.filter((dep) => dep.endsWith(".css")),
    },
  },
});
