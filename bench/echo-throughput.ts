import { Worker } from "node:worker_threads";
import { WebSocketServer } from "ws";

export interface EchoRun {
  messagesPerSecond: number;
  megabytesPerSecond: number;
}

/**
 * Round-trip throughput of an echo endpoint: a client in a worker thread keeps `window`
 * messages in flight and counts echoes until `messages` have come back.
 */
export async function measureEcho(
  url: string,
  { messages, size, window }: { messages: number; size: number; window: number },
): Promise<EchoRun> {
  const worker = new Worker(new URL("./echo-client-worker.mjs", import.meta.url), {
    workerData: { url, messages, size, window },
  });
  try {
    const result = await new Promise<{ seconds?: number; error?: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (result.seconds === undefined) throw new Error(result.error ?? "echo client failed");
    return {
      messagesPerSecond: messages / result.seconds,
      megabytesPerSecond: (messages * size * 2) / result.seconds / 1e6,
    };
  } finally {
    await worker.terminate();
  }
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
