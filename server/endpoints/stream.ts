import { randomBytes } from "node:crypto";
import type { WebSocket } from "ws";
import { STREAM_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { HIGH_WATER_BYTES } from "../backpressure.ts";
import { countOut } from "../connection-registry.ts";
import { deflateOptionsFor } from "./deflate.ts";
import { defineEndpoint, type ParamsOf } from "./endpoint.ts";

/** How often the generator wakes up; each wake sends what the rate says is due. */
const TICK_MS = 10;
/**
 * Work one turn of the event loop may do for one stream. Without a cap a tick sends its
 * whole backlog (100,000 messages a second arrive in bursts of thousands), holding the
 * thread from every other connection, from /api/health and from the tap's inspectors, which
 * then fall behind their ring; past the cap the rest goes in the next turn.
 */
const MAX_MESSAGES_PER_TURN = 512;
const MAX_BYTES_PER_TURN = 1024 * 1024;

export type StreamKind = "text" | "json" | "binary";

export interface StreamSettings {
  count: number;
  size: number;
  rate: number;
  kind: StreamKind;
  compressible: boolean;
}

const PHRASE = "The quick brown fox jumps over the lazy dog. ";
const BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Makes the payloads: exactly `size` bytes for text and binary; JSON messages carry
 * `{seq, at, data}` with `data` padded so the whole is `size` bytes when that is large
 * enough to hold the envelope. Random payloads come from one pool made up front, so the
 * generator measures the socket, not the random number generator.
 */
export function createPayloadMaker(settings: StreamSettings): (seq: number) => string | Buffer {
  const { size, kind, compressible } = settings;
  const poolSize = Math.max(size * 2, 4096);
  const pool = compressible
    ? Buffer.from(PHRASE.repeat(Math.ceil(poolSize / PHRASE.length)).slice(0, poolSize))
    : kind === "binary"
      ? randomBytes(poolSize)
      : Buffer.from(Array.from(randomBytes(poolSize), (byte) => BASE64_CHARS[byte & 63]).join(""));
  const slice = (seq: number, length: number) => {
    const offset = (seq * 7919) % Math.max(1, poolSize - length);
    return pool.subarray(offset, offset + length);
  };
  switch (kind) {
    case "binary":
      return (seq) => Buffer.from(slice(seq, size));
    case "text":
      return (seq) => slice(seq, size).toString("latin1");
    case "json":
      // Written by hand, once per message: the padding comes from the pool, whose
      // characters (letters, digits, + / . and spaces) need no escaping in a JSON string.
      return (seq) => {
        const at = Date.now();
        const envelope = `{"seq":${seq},"at":${at},"data":""}`.length;
        const data = slice(seq, Math.max(0, size - envelope)).toString("latin1");
        return `{"seq":${seq},"at":${at},"data":"${data}"}`;
      };
  }
}

export function streamSettings(params: ParamsOf<typeof STREAM_SPEC>): StreamSettings {
  const { count, size, rate, kind, compressible } = params;
  return { count, size, rate, kind, compressible };
}

/**
 * Sends `count` messages at `rate` per second. Each tick sends what is due since the start;
 * while the socket holds more than HIGH_WATER_BYTES unsent the generator waits, so a slow
 * reader slows the stream instead of growing the server's memory.
 */
export function runStream(
  ws: WebSocket,
  settings: StreamSettings,
  onSent: (bytes: number) => void,
): void {
  const makePayload = createPayloadMaker(settings);
  const binary = settings.kind === "binary";
  const started = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const tick = () => {
    timer = undefined;
    immediate = undefined;
    if (ws.readyState !== ws.OPEN) return;
    const due = Math.min(
      settings.count,
      Math.floor(((performance.now() - started) * settings.rate) / 1000) + 1,
    );
    const limit = Math.min(due, sent + MAX_MESSAGES_PER_TURN);
    let bytes = 0;
    while (sent < limit && bytes < MAX_BYTES_PER_TURN && ws.bufferedAmount < HIGH_WATER_BYTES) {
      sent += 1;
      const payload = makePayload(sent);
      ws.send(payload, { binary });
      const length = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
      bytes += length;
      onSent(length);
    }
    if (sent >= settings.count) {
      // Queued behind the messages, so it goes out after the last one.
      ws.close(1000, `Sent ${settings.count} messages`);
      return;
    }
    // Still behind schedule and the socket takes more: go on once others have had a turn.
    if (sent < due && ws.bufferedAmount < HIGH_WATER_BYTES) immediate = setImmediate(tick);
    else timer = setTimeout(tick, TICK_MS);
  };
  ws.once("close", () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  });
  tick();
}

/** `/stream`: the load generator. */
export const streamEndpoint = defineEndpoint({
  spec: STREAM_SPEC,
  perMessageDeflate: (params, request) => (params.deflate ? deflateOptionsFor({}, request) : false),
  onConnection({ ws, params, stats }) {
    runStream(ws, streamSettings(params), (bytes) => countOut(stats, bytes));
  },
});
