// The echo benchmark's client, in a worker thread so that it has its own event loop (and,
// on a machine with two cores, its own core): the server's cost is then what limits the
// round trips, not the client sharing the server's thread.
import { parentPort, workerData } from "node:worker_threads";
import WebSocket from "ws";

const { url, messages, size, window } = workerData;
const ws = new WebSocket(url, { perMessageDeflate: false });
ws.on("error", (error) => parentPort.postMessage({ error: String(error) }));
// A close before the last echo is a failure to report, never a wait without end.
ws.on("close", (code, reason) =>
  parentPort.postMessage({ error: `closed ${code} ${reason} before the last echo` }),
);
ws.on("open", () => {
  const payload = "x".repeat(size);
  let sent = 0;
  let received = 0;
  const started = performance.now();
  ws.on("message", () => {
    received += 1;
    if (received === messages) {
      const seconds = (performance.now() - started) / 1000;
      ws.close();
      parentPort.postMessage({ seconds });
    } else if (sent < messages) {
      ws.send(payload);
      sent += 1;
    }
  });
  for (; sent < Math.min(window, messages); sent += 1) ws.send(payload);
});
