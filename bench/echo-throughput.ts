import { WebSocket, WebSocketServer } from "ws";

export interface EchoRun {
  messagesPerSecond: number;
  megabytesPerSecond: number;
}

/**
 * Round-trip throughput of an echo endpoint: one client keeps `window` messages in flight
 * and counts echoes until `messages` have come back.
 */
export async function measureEcho(
  url: string,
  { messages, size, window }: { messages: number; size: number; window: number },
): Promise<EchoRun> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const payload = "x".repeat(size);
  let sent = 0;
  let received = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    ws.on("message", () => {
      received += 1;
      if (received === messages) resolve();
      else if (sent < messages) {
        ws.send(payload);
        sent += 1;
      }
    });
    for (; sent < Math.min(window, messages); sent += 1) ws.send(payload);
  });
  const seconds = (performance.now() - started) / 1000;
  ws.close();
  return {
    messagesPerSecond: messages / seconds,
    megabytesPerSecond: (messages * size * 2) / seconds / 1e6,
  };
}

/** The baseline: a bare `ws` echo server, nothing of ours in the path. */
export async function startBareEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise((resolve) => wss.once("listening", resolve));
  wss.on("connection", (ws) => {
    ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  const address = wss.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => wss.close(() => resolve())),
  };
}
