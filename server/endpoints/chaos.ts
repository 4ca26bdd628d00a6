/**
 * `/chaos`: an echo that breaks on purpose. Each fault is a query parameter (the catalogue's
 * CHAOS_SPEC bounds them all); handshake faults run in `beforeAccept`, the rest on the open
 * connection. Every loop here is bounded per turn of the event loop, like `/stream`.
 */
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { CHAOS_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { HIGH_WATER_BYTES, LOW_WATER_BYTES } from "../backpressure.ts";
import { countOut, type EndpointStats } from "../connection-registry.ts";
import { defineEndpoint, type HandshakeRefusal, type ParamsOf } from "./endpoint.ts";

export type ChaosParams = ParamsOf<typeof CHAOS_SPEC>;

/** Frames the echo may send in one turn of the event loop (a message of N fragments is N). */
export const MAX_FRAMES_PER_TURN = 512;
/** Bytes the echo may send in one turn of the event loop. */
export const MAX_BYTES_PER_TURN = 1024 * 1024;
/** How long the echo waits for a socket above its high-water mark before looking again. */
const DRAIN_POLL_MS = 10;

/** The checks between parameters, which one parameter's spec cannot express. */
export function chaosParamsProblem(params: ChaosParams): string | undefined {
  if (params.after !== undefined && params.close === undefined) {
    return "after=MS says when to close: it needs close=CODE.";
  }
  if (params.reason !== undefined && params.close === undefined && params.refuse === undefined) {
    return "reason=TEXT goes with close=CODE (the close frame's reason) or refuse=STATUS (the refusal's text).";
  }
  return undefined;
}

/** The fault `refuse=STATUS` asks for: the status, with `reason` or a default text. */
function requestedRefusal(params: ChaosParams): HandshakeRefusal | undefined {
  if (params.refuse === undefined) return undefined;
  return {
    status: params.refuse,
    reason: params.reason ?? `Refused on request: /chaos?refuse=${params.refuse}.`,
  };
}

/** Splits `data` into `parts` slices as even as can be (some empty when it is shorter). */
export function splitIntoFragments(data: Buffer, parts: number): Buffer[] {
  return Array.from({ length: parts }, (_, index) =>
    data.subarray(
      Math.floor((index * data.length) / parts),
      Math.floor(((index + 1) * data.length) / parts),
    ),
  );
}

interface PendingEcho {
  fragments: Buffer[];
  binary: boolean;
  /** Fragments already sent. */
  sent: number;
  size: number;
}

/**
 * The echo, each message `fragment` frames long. One message's fragments must not interleave
 * with another's (`ws` would take the next message's first frame as a continuation), so
 * messages queue and one pump sends them in order, at most MAX_FRAMES_PER_TURN frames and
 * MAX_BYTES_PER_TURN bytes per turn; past HIGH_WATER_BYTES queued or unsent it stops reading
 * from the peer.
 */
class FragmentingEcho {
  readonly #ws: WebSocket;
  readonly #parts: number;
  readonly #stats: EndpointStats;
  readonly #queue: PendingEcho[] = [];
  #queuedBytes = 0;
  #scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;

  constructor(ws: WebSocket, parts: number, stats: EndpointStats) {
    this.#ws = ws;
    this.#parts = parts;
    this.#stats = stats;
  }

  /** Bytes received but not yet echoed (queued here or waiting for a delay). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  hold(bytes: number): void {
    this.#queuedBytes += bytes;
    if (this.#queuedBytes > HIGH_WATER_BYTES && !this.#ws.isPaused) this.#ws.pause();
  }

  push(data: Buffer, binary: boolean): void {
    this.#queue.push({
      fragments: splitIntoFragments(data, this.#parts),
      binary,
      sent: 0,
      size: data.length,
    });
    if (this.#scheduled === undefined) this.#pump();
  }

  stop(): void {
    clearImmediate(this.#scheduled as NodeJS.Immediate);
    clearTimeout(this.#scheduled as NodeJS.Timeout);
    this.#scheduled = undefined;
  }

  #pump = (): void => {
    this.#scheduled = undefined;
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    let frames = 0;
    let bytes = 0;
    while (this.#queue.length > 0) {
      if (frames >= MAX_FRAMES_PER_TURN || bytes >= MAX_BYTES_PER_TURN) {
        this.#scheduled = setImmediate(this.#pump);
        return;
      }
      if (ws.bufferedAmount > HIGH_WATER_BYTES) {
        this.#scheduled = setTimeout(this.#pump, DRAIN_POLL_MS);
        return;
      }
      const echo = this.#queue[0] as PendingEcho;
      const fragment = echo.fragments[echo.sent] as Buffer;
      echo.sent += 1;
      const last = echo.sent === echo.fragments.length;
      ws.send(fragment, { binary: echo.binary, fin: last, compress: false });
      frames += 1;
      bytes += fragment.length;
      if (last) {
        this.#queue.shift();
        this.#queuedBytes -= echo.size;
        countOut(this.#stats, echo.size);
        if (ws.isPaused && this.#queuedBytes < LOW_WATER_BYTES) ws.resume();
      }
    }
  };
}

export const chaosEndpoint = defineEndpoint({
  spec: CHAOS_SPEC,
  async beforeAccept({ params }) {
    const problem = chaosParamsProblem(params);
    if (problem) return { status: 400, reason: problem };
    if (params.handshake_delay !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, params.handshake_delay));
    }
    return requestedRefusal(params);
  },
  onConnection({ ws, params, stats, handshake, maxPayload }) {
    const timers: NodeJS.Timeout[] = [];
    const echo = new FragmentingEcho(ws, params.fragment ?? 1, stats);
    ws.once("close", () => {
      for (const timer of timers) clearTimeout(timer);
      echo.stop();
    });

    ws.on("message", (data, isBinary) => {
      const message = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (params.delay === undefined) {
        echo.hold(message.length);
        echo.push(message, isBinary);
        return;
      }
      // Same delay for every message: node fires equal timeouts in the order they were set,
      // so the echoes keep the order of the messages. One that fires after the close sends
      // nothing; what waits is bounded by `hold`, which stops reading past the high-water mark.
      echo.hold(message.length);
      setTimeout(() => echo.push(message, isBinary), params.delay);
    });

    if (params.oversize) {
      // One byte above this server's own limit: whether it fails depends on the receiver's
      // limit, not the sender's (a browser sets none a page can see).
      const size = maxPayload + 1;
      ws.send(Buffer.alloc(size, "oversize "), { binary: true });
      countOut(stats, size);
    }
    if (params.ping !== undefined) {
      let count = 0;
      const interval = setInterval(() => {
        // One ping per tick; none while the peer is not reading what it was sent.
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount > HIGH_WATER_BYTES) return;
        count += 1;
        ws.ping(`ping ${count} at ${Date.now()}`);
      }, params.ping);
      ws.once("close", () => clearInterval(interval));
    }
    if (params.close !== undefined) {
      const { close, reason = "" } = params;
      timers.push(setTimeout(() => ws.close(close, reason), params.after ?? 0));
    }
    if (params.drop !== undefined) {
      timers.push(
        setTimeout(() => {
          // A TCP RST, no close frame: the peer's WebSocket reports 1006.
          const socket = handshake.stream as Partial<Socket> & typeof handshake.stream;
          if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
          else socket.destroy();
        }, params.drop),
      );
    }
  },
});
