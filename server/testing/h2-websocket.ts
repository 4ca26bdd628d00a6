import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from "node:http2";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { WebSocket } from "ws";

const require = createRequire(import.meta.url);
/** ws's own modules, which its package `exports` do not list. */
const wsLib = (name: string) => join(dirname(require.resolve("ws")), "lib", name);

/** `ws`'s permessage-deflate extension, which its type definitions leave out. */
const PerMessageDeflate = require(wsLib("permessage-deflate.js")) as {
  new (options: {
    isServer?: boolean;
    maxPayload?: number;
  }): { accept(configurations: Record<string, string[] | true[]>[]): unknown };
  extensionName: string;
};
const { parse: parseExtensions } = require(wsLib("extension.js")) as {
  parse(header: string): Record<string, Record<string, string[] | true[]>[]>;
};

export interface H2WebSocketResult {
  /** The `:status` of the answer (200 opens the WebSocket). */
  status: number;
  headers: IncomingHttpHeaders;
  stream: ClientHttp2Stream;
  /** The open WebSocket on a 200. */
  ws?: WebSocket;
  /** A refusal's body. */
  body?: string;
}

export interface H2WebSocketOptions {
  protocols?: readonly string[];
  /** Offer permessage-deflate (as browsers do: `permessage-deflate; client_max_window_bits`). */
  deflate?: boolean;
  headers?: Record<string, string>;
}

/**
 * Opens a WebSocket over HTTP/2 as RFC 8441 has a client do it: an extended CONNECT
 * (`:method CONNECT`, `:protocol websocket`) on `session`, and on `:status 200`, `ws` in its
 * client role reading and writing WebSocket frames on that stream (masking its frames, with
 * the permessage-deflate the server agreed to). `ws` has no HTTP/2 client, so its client is
 * set up here by hand, through two of its private fields (`_isServer`, `_extensions`).
 */
export async function openH2WebSocket(
  session: ClientHttp2Session,
  path: string,
  options: H2WebSocketOptions = {},
): Promise<H2WebSocketResult> {
  const stream = session.request(
    {
      ":method": "CONNECT",
      ":protocol": "websocket",
      ":path": path,
      "sec-websocket-version": "13",
      ...(options.protocols ? { "sec-websocket-protocol": options.protocols.join(", ") } : {}),
      ...(options.deflate
        ? { "sec-websocket-extensions": "permessage-deflate; client_max_window_bits" }
        : {}),
      ...options.headers,
    },
    { endStream: false },
  );
  const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
    stream.once("response", resolve);
    stream.once("error", reject);
  });
  const status = Number(headers[":status"]);
  if (status !== 200) {
    let body = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    await new Promise((resolve) => stream.once("close", resolve));
    return { status, headers, stream, body };
  }
  // A WebSocket made without an address takes its options as a server's would: the close
  // timeout (ws's default 30 s) must be given, or the closing handshake gets 1 ms.
  const ws = new (
    WebSocket as unknown as new (
      address: null,
      protocols: undefined,
      options: object,
    ) => WebSocket
  )(null, undefined, { closeTimeout: 30_000 });
  const client = ws as unknown as { _isServer: boolean; _extensions: Record<string, unknown> };
  client._isServer = false;
  const agreed = headers["sec-websocket-extensions"];
  if (typeof agreed === "string") {
    const offer = parseExtensions(agreed)[PerMessageDeflate.extensionName];
    if (offer) {
      const deflate = new PerMessageDeflate({ isServer: false, maxPayload: 0 });
      deflate.accept(offer);
      client._extensions[PerMessageDeflate.extensionName] = deflate;
    }
  }
  (ws as unknown as { setSocket(socket: unknown, head: Buffer, options: object): void }).setSocket(
    stream,
    Buffer.alloc(0),
    { maxPayload: 0, allowSynchronousEvents: true },
  );
  return { status, headers, stream, ws };
}
