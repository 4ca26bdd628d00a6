/**
 * Runs the mux comparison from the page: the same N conversations (ROUND_TRIPS_PER_LANE echo
 * round trips each) carried (a) as N echo channels over one new mux.v1 socket of its own, so
 * the card's lanes are untouched, and (b) over N separate WebSockets to /echo. Every socket
 * is tapped, and its handshake is read back from `/inspect?tap=ID&format=json` to count the
 * bytes of its request and response heads: the browser does not expose them. Everything it
 * opens is closed before it resolves or rejects. The arithmetic is in mux-comparison.ts.
 */

import { createMuxClient, type MuxChannel } from "../../connections/mux-client.ts";
import type { HandshakeEvent } from "../../protocol/inspector-events.ts";
import { MUX_SUBPROTOCOL } from "../../protocol/mux-envelope.ts";
import {
  comparePayload,
  type Framing,
  muxFraming,
  plainFraming,
  ROUND_TRIPS_PER_LANE,
  summarizeWay,
  type WayResult,
} from "./mux-comparison.ts";

export interface ComparisonResult {
  n: number;
  mux: WayResult;
  separate: WayResult;
}

export interface ComparisonUrls {
  /** ws(s)://host/mux */
  muxUrl: string;
  /** ws(s)://host/echo */
  echoUrl: string;
}

/** The whole run may take this long before it gives up (and closes everything). */
export const COMPARISON_TIMEOUT_MS = 30_000;

/** Closes what a run opened, whatever happened. */
class Resources {
  readonly #sockets = new Set<WebSocket>();
  readonly #cleanups: (() => void)[] = [];
  /** Rejects when a measured socket closes before the run is over. */
  readonly failed: Promise<never>;
  #fail!: (error: Error) => void;
  #over = false;

  constructor() {
    this.failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.failed.catch(() => {});
  }

  fail(error: Error): void {
    if (!this.#over) this.#fail(error);
  }

  socket(url: string, protocol?: string): WebSocket {
    const socket = protocol ? new WebSocket(url, protocol) : new WebSocket(url);
    socket.binaryType = "arraybuffer";
    this.#sockets.add(socket);
    return socket;
  }

  onCleanup(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  closeAll(): void {
    this.#over = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const socket of this.#sockets) {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        socket.close(1000, "comparison done");
      }
    }
    this.#sockets.clear();
  }
}

function tapId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return `cmp-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function withQuery(url: string, values: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(values)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** A measured socket, open; it failing later fails the run. */
function openMeasured(
  resources: Resources,
  url: string,
  protocol: string | undefined,
  what: string,
): Promise<WebSocket> {
  const socket = resources.socket(url, protocol);
  return new Promise<WebSocket>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(socket), { once: true });
    socket.addEventListener("close", (event) => {
      const error = new Error(
        `${what} closed (${event.code}${event.reason ? ` ${event.reason}` : ""}) during the comparison`,
      );
      reject(error);
      resources.fail(error);
    });
  });
}

/** The server's record of the handshake of the socket opened with `tap`. */
function readHandshake(
  resources: Resources,
  socketUrl: string,
  tap: string,
): Promise<HandshakeEvent> {
  const url = new URL(socketUrl);
  url.pathname = "/inspect";
  url.search = new URLSearchParams({ tap, format: "json" }).toString();
  const inspector = resources.socket(url.toString());
  return new Promise<HandshakeEvent>((resolve, reject) => {
    inspector.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      const parsed = JSON.parse(event.data) as { type?: string };
      if (parsed.type !== "handshake") return;
      resolve(parsed as HandshakeEvent);
      inspector.close(1000, "got the handshake");
    });
    inspector.addEventListener("close", (event) =>
      reject(new Error(`no handshake recorded for tap ${tap} (inspector closed ${event.code})`)),
    );
  });
}

/** ROUND_TRIPS_PER_LANE round trips one after another; the round-trip times in ms. */
async function pingPong(
  lane: number,
  listen: (onReply: () => void) => () => void,
  send: (payload: ReturnType<typeof comparePayload>) => void,
): Promise<number[]> {
  const rtts: number[] = [];
  let replied: (() => void) | undefined;
  const stop = listen(() => {
    const resolve = replied;
    replied = undefined;
    resolve?.();
  });
  try {
    for (let k = 0; k < ROUND_TRIPS_PER_LANE; k += 1) {
      const reply = new Promise<void>((resolve) => {
        replied = resolve;
      });
      const started = performance.now();
      send(comparePayload(lane, k));
      await reply;
      rtts.push(performance.now() - started);
    }
  } finally {
    stop();
  }
  return rtts;
}

function channelOpened(channel: MuxChannel): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (channel.state === "open") resolve();
    channel.on("opened", () => resolve());
    channel.on("error", (error) => reject(new Error(`channel ${channel.id}: ${error.message}`)));
    channel.on("closed", (reason) => reject(new Error(`channel ${channel.id} closed: ${reason}`)));
  });
}

async function overOneSocket(resources: Resources, n: number, muxUrl: string): Promise<WayResult> {
  const tap = tapId();
  const url = withQuery(muxUrl, { tap });
  const socket = await openMeasured(resources, url, MUX_SUBPROTOCOL, "the mux socket");
  const client = createMuxClient(socket, { reopen: () => false });
  resources.onCleanup(() => client.dispose());
  const channels = Array.from({ length: n }, () => client.openChannel("echo"));
  await Promise.all(channels.map(channelOpened));
  const framings: Framing[] = [];
  const rtts = (
    await Promise.all(
      channels.map((channel, lane) =>
        pingPong(
          lane,
          (onReply) => channel.on("data", onReply),
          (payload) => {
            framings.push(muxFraming(channel.id, payload));
            channel.send(payload);
          },
        ),
      ),
    )
  ).flat();
  const handshake = await readHandshake(resources, url, tap);
  return summarizeWay(1, [handshake], framings, rtts);
}

async function overSeparateSockets(
  resources: Resources,
  n: number,
  echoUrl: string,
): Promise<WayResult> {
  const lanes = Array.from({ length: n }, () => {
    const tap = tapId();
    return { tap, url: withQuery(echoUrl, { tap }) };
  });
  const sockets = await Promise.all(
    lanes.map(({ url }, lane) =>
      openMeasured(resources, url, undefined, `echo socket ${lane + 1}`),
    ),
  );
  const framings: Framing[] = [];
  const rtts = (
    await Promise.all(
      sockets.map((socket, lane) =>
        pingPong(
          lane,
          (onReply) => {
            socket.addEventListener("message", onReply);
            return () => socket.removeEventListener("message", onReply);
          },
          (payload) => {
            const text = JSON.stringify(payload);
            framings.push(plainFraming(text));
            socket.send(text);
          },
        ),
      ),
    )
  ).flat();
  const handshakes = await Promise.all(
    lanes.map(({ tap, url }) => readHandshake(resources, url, tap)),
  );
  return summarizeWay(n, handshakes, framings, rtts);
}

/** One way, with sockets of its own that are all closed when it is over. */
async function measure(
  way: (resources: Resources) => Promise<WayResult>,
  timeout: Promise<never>,
): Promise<WayResult> {
  const resources = new Resources();
  try {
    return await Promise.race([way(resources), resources.failed, timeout]);
  } finally {
    resources.closeAll();
  }
}

/** Runs both ways, one after the other so they do not slow each other down. */
export async function runComparison(
  n: number,
  urls: ComparisonUrls,
  timeoutMs = COMPARISON_TIMEOUT_MS,
): Promise<ComparisonResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the comparison took longer than ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  timeout.catch(() => {});
  try {
    const mux = await measure((resources) => overOneSocket(resources, n, urls.muxUrl), timeout);
    const separate = await measure(
      (resources) => overSeparateSockets(resources, n, urls.echoUrl),
      timeout,
    );
    return { n, mux, separate };
  } finally {
    clearTimeout(timer);
  }
}
