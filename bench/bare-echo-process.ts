/**
 * The throughput baseline: a bare `ws` echo server, nothing of ours in the path, in its own
 * process like the playground server, so the two are compared on equal terms.
 *
 * Prints `{"url": "ws://127.0.0.1:N", "pid": N}` on stdout once listening.
 */
import { WebSocketServer } from "ws";
import { serveChildProtocol } from "./child-protocol.ts";

const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
await new Promise((resolve) => wss.once("listening", resolve));
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});
const address = wss.address();
const port = typeof address === "object" && address ? address.port : 0;
serveChildProtocol({ url: `ws://127.0.0.1:${port}`, pid: process.pid }, async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(() => resolve(undefined)));
});
