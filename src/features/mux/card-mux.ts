/**
 * A card's mux client, outside React: it rides the card's own WebSocket (from the registered
 * `CardSocketSource`), follows it to the new socket of each connection attempt, and writes
 * what each channel does into the mux store. The lanes call the actions below.
 */
import {
  createMuxClient,
  type MuxChannel,
  type MuxClient,
  type MuxSocketLike,
} from "../../connections/mux-client.ts";
import type { MuxParams } from "../../protocol/mux-envelope.ts";
import { useConnections } from "../../stores/connections-store.ts";
import { type CardSocket, cardSocketSource, useMux } from "../../stores/mux-store.ts";

/** The head-of-line demo's message: exactly the server's 1 MiB limit with its 2-byte channel id. */
export const BIG_MESSAGE_BYTES = 1024 * 1024;
const BIG_PAYLOAD_BYTES = BIG_MESSAGE_BYTES - 2;
/** Characters of a message a lane line shows. */
const LINE_CHARS = 160;

interface Binding {
  client: MuxClient;
  channels: Map<number, MuxChannel>;
  /** Per clock lane: the fastest transit (arrival − server time) seen, ms. */
  fastestTransit: Map<number, number>;
  unsubscribe(): void;
  users: number;
}

const bindings = new Map<string, Binding>();
/** One wrapper per socket, so re-attaching the same socket is recognised. */
const wrappers = new WeakMap<CardSocket, MuxSocketLike>();

/** Starts (or shares) the card's mux client; the returned function lets go of it. */
export function bindCardMux(cardId: string): () => void {
  let binding = bindings.get(cardId);
  if (!binding) {
    binding = createBinding(cardId);
    bindings.set(cardId, binding);
  }
  binding.users += 1;
  const bound = binding;
  return () => {
    bound.users -= 1;
    if (bound.users > 0) return;
    bound.unsubscribe();
    bound.client.dispose();
    bindings.delete(cardId);
    useMux.getState().dropCard(cardId);
  };
}

/** Whether the page can reach the card's socket at all (a source was registered). */
export function canReachCardSockets(): boolean {
  return cardSocketSource() !== undefined;
}

function createBinding(cardId: string): Binding {
  const client = createMuxClient(undefined, {
    // Channels survive a drop when the card reconnects by itself; otherwise they end with it.
    reopen: () => useConnections.getState().cards[cardId]?.reconnect === true,
  });
  client.onError((error) => {
    const where = error.ch === null ? "" : ` (channel ${error.ch})`;
    useMux.getState().addError(cardId, `${error.code}${where}: ${error.message}`);
  });
  const follow = () => {
    const socket = cardSocketSource()?.socketOf(cardId);
    if (socket) client.attach(wrap(cardId, socket));
    else client.detach();
  };
  follow();
  // Each attempt makes a new socket: ride it as soon as the card's attempt number changes.
  let attempt = useConnections.getState().cards[cardId]?.attempt;
  const unsubscribe = useConnections.subscribe((state) => {
    const next = state.cards[cardId]?.attempt;
    if (next === attempt) return;
    attempt = next;
    follow();
  });
  return { client, channels: new Map(), fastestTransit: new Map(), unsubscribe, users: 0 };
}

function wrap(cardId: string, socket: CardSocket): MuxSocketLike {
  let wrapper = wrappers.get(socket);
  if (!wrapper) {
    wrapper = {
      get readyState() {
        return socket.readyState;
      },
      send(data) {
        const source = cardSocketSource();
        if (source?.send) source.send(cardId, data);
        else socket.send(data);
      },
      addEventListener: (type: string, listener: (event: { data: unknown }) => void) =>
        socket.addEventListener(type, listener),
      removeEventListener: (type: string, listener: (event: { data: unknown }) => void) =>
        socket.removeEventListener(type, listener),
    };
    wrappers.set(socket, wrapper);
  }
  return wrapper;
}

/** Opens a channel and its lane. */
export function openLane(cardId: string, service: string, params: MuxParams): void {
  const binding = bindings.get(cardId);
  if (!binding) return;
  const channel = binding.client.openChannel(service, params);
  const { ch, store } = { ch: channel.id, store: useMux.getState() };
  binding.channels.set(ch, channel);
  binding.fastestTransit.delete(ch);
  store.putLane(cardId, { ch, service, params, state: channel.state });
  store.addLine(cardId, ch, {
    kind: channel.state === "suspended" ? "event" : "out",
    text:
      channel.state === "suspended"
        ? "waiting for the connection to open"
        : `open ${service} ${JSON.stringify(params)}`,
  });
  const line = (kind: "in" | "event" | "error", text: string) =>
    useMux.getState().addLine(cardId, ch, { kind, text });
  const state = () => useMux.getState().patchLane(cardId, ch, { state: channel.state });

  channel.on("opened", () => {
    state();
    line("event", "opened");
  });
  channel.on("suspended", () => {
    state();
    line("event", "connection lost: the channel reopens when the card reconnects");
  });
  channel.on("closed", (reason) => {
    state();
    line("event", `closed: ${reason}`);
    if (binding.channels.get(ch) === channel) binding.channels.delete(ch);
  });
  channel.on("error", (error) => line("error", `${error.code}: ${error.message}`));
  channel.on("data", (data) => {
    const now = Date.now();
    if (data instanceof Uint8Array) {
      const lane = useMux.getState().cards[cardId]?.lanes[ch];
      if (lane?.bigSentAt !== undefined && data.length === BIG_PAYLOAD_BYTES) {
        useMux
          .getState()
          .patchLane(cardId, ch, { bigRoundTripMs: now - lane.bigSentAt, bigSentAt: undefined });
      }
      line("in", `binary · ${data.length.toLocaleString("en-US")} bytes`);
      return;
    }
    if (service === "clock") noteTick(cardId, binding, ch, data, now);
    line("in", preview(data));
  });
}

/** A clock tick's lateness: its transit minus the fastest transit seen (clock skew cancels out). */
function noteTick(cardId: string, binding: Binding, ch: number, data: unknown, now: number): void {
  const at = (data as { at?: unknown } | null)?.at;
  if (typeof at !== "number") return;
  const transit = now - at;
  const fastest = Math.min(binding.fastestTransit.get(ch) ?? transit, transit);
  binding.fastestTransit.set(ch, fastest);
  const lastMs = transit - fastest;
  const previous = useMux.getState().cards[cardId]?.lanes[ch]?.lateness;
  useMux.getState().patchLane(cardId, ch, {
    lateness: { lastMs, maxMs: Math.max(previous?.maxMs ?? 0, lastMs) },
  });
}

function preview(data: unknown): string {
  const text = typeof data === "string" ? data : (JSON.stringify(data) ?? String(data));
  return text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS)}…` : text;
}

/** Sends typed text on a lane: JSON when it parses as JSON, else the text as a string. */
export function sendOnLane(cardId: string, ch: number, text: string): void {
  const channel = bindings.get(cardId)?.channels.get(ch);
  if (!channel) return;
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: sent as a string.
  }
  if (channel.send(data))
    useMux.getState().addLine(cardId, ch, { kind: "out", text: preview(data) });
}

/**
 * The head-of-line demo: one 1 MiB binary message on this channel. Every other channel's
 * messages queue behind it on the one TCP connection, both ways; clock lanes start measuring
 * their largest lateness afresh.
 */
export function sendBigOnLane(cardId: string, ch: number): void {
  const channel = bindings.get(cardId)?.channels.get(ch);
  if (!channel) return;
  const store = useMux.getState();
  const card = store.cards[cardId];
  for (const other of card?.order ?? []) {
    const lateness = card?.lanes[other]?.lateness;
    if (lateness) store.patchLane(cardId, other, { lateness: { ...lateness, maxMs: 0 } });
  }
  const payload = new Uint8Array(BIG_PAYLOAD_BYTES);
  for (let index = 0; index < payload.length; index += 1) payload[index] = index & 0xff;
  const sentAt = Date.now();
  if (!channel.send(payload)) return;
  store.patchLane(cardId, ch, { bigSentAt: sentAt, bigRoundTripMs: undefined });
  store.addLine(cardId, ch, {
    kind: "out",
    text: `binary · ${BIG_PAYLOAD_BYTES.toLocaleString("en-US")} bytes (1 MiB frame)`,
  });
}

/** Closes a lane's channel, or takes a closed lane off the page. */
export function closeLane(cardId: string, ch: number): void {
  const channel = bindings.get(cardId)?.channels.get(ch);
  const lane = useMux.getState().cards[cardId]?.lanes[ch];
  if (channel && channel.state !== "closed") {
    channel.close();
    useMux.getState().patchLane(cardId, ch, { state: channel.state });
    if (channel.state === "closing")
      useMux.getState().addLine(cardId, ch, { kind: "out", text: "close" });
    return;
  }
  if (lane) useMux.getState().dismissLane(cardId, ch);
}
