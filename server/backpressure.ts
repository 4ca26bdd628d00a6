import type { WebSocket } from "ws";

/** Above this many unsent bytes we stop reading from the peer until the queue drains. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Reading resumes once the queue is below this. */
export const LOW_WATER_BYTES = 1024 * 1024;

/**
 * Sends and, for a reader slower than its writer, pauses reading from that peer instead of
 * queueing without bound: an echo server's memory stays bounded by HIGH_WATER_BYTES per
 * connection however fast the client writes and however slowly it reads.
 */
export function sendWithBackpressure(
  ws: WebSocket,
  data: Buffer | ArrayBuffer | Buffer[] | string,
  binary: boolean,
  /** With permessage-deflate agreed: whether to compress this message (default: yes). */
  compress = true,
): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(data, { binary, compress }, () => {
    if (ws.isPaused && ws.bufferedAmount < LOW_WATER_BYTES) ws.resume();
  });
  if (ws.bufferedAmount > HIGH_WATER_BYTES && !ws.isPaused) ws.pause();
}
