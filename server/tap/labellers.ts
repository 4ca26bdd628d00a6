/**
 * The tap's decoder hook: higher layers that label whole messages. The tap reassembles (and
 * inflates) each direction's messages itself; for a connection whose route or negotiated
 * subprotocol names a protocol the server understands, each whole message is handed to that
 * direction's labeller, and the label it returns lands on the message's last frame
 * (`FrameEvent.label`). HTTP bodies of the same protocol (Engine.IO long-polling) go through
 * the same labellers, one label per packet (`HttpEvent.labels`).
 *
 * Labellers are stateful per direction (a Socket.IO binary packet and its attachments come as
 * several messages), pure, and never throw: what they cannot read they label `⚠ <layer>: …`.
 *
 * To add a protocol, add one entry to LABELLERS, e.g. for the multiplexing subprotocol:
 *   { layer: "mux.v1", matches: ({ protocol }) => protocol === "mux.v1", create: muxLabellers },
 * where `muxLabellers()` returns `{ in, out }`, each a `MessageLabeller`.
 */
import type { EngineIoDecoded } from "../../src/protocol/engineio-packet.ts";
import { describeMuxMessage } from "../../src/protocol/mux-envelope.ts";
import {
  type FramePacketDecoded,
  labelFramePacket,
  SocketIoDecoder,
} from "../../src/protocol/socketio-packet.ts";
import { ENGINE_IO_PREFIX } from "../routes.ts";

/** What the tap knows of a connection when it picks its labellers. */
export interface LabellerContext {
  /** The request's path, e.g. `/socket.io/`. */
  path: string;
  /** The negotiated subprotocol, "" when none (always "" for HTTP requests). */
  protocol: string;
}

/** One direction's labeller: it sees that direction's messages, in order. */
export interface MessageLabeller {
  /** One whole WebSocket message (text as a string, binary as bytes) → its label. */
  message(data: string | Uint8Array): string;
  /**
   * One HTTP body of this direction (a request's for `in`, a response's for `out`) → one label
   * per packet in it; [] for a body that carries none (e.g. Engine.IO's `ok` to a POST).
   */
  body?(text: string, exchange: HttpExchangeFacts): string[];
}

/** What a body labeller may need to know of the exchange its body belongs to. */
export interface HttpExchangeFacts {
  method: string;
  /** The response's status (for `out` bodies). */
  status?: number;
}

export interface DirectionLabellers {
  /** The decoder that labels, e.g. `socket.io`: `FrameEvent.layer`. */
  layer: string;
  /** client→server */
  in: MessageLabeller;
  /** server→client */
  out: MessageLabeller;
}

export interface LabellerEntry {
  layer: string;
  matches(context: LabellerContext): boolean;
  create(): { in: MessageLabeller; out: MessageLabeller };
}

/**
 * Engine.IO and Socket.IO packets: `42/chat,["said",…]` → `message · EVENT · /chat · said`.
 * Long-polling carries packets in a POST's request body (`in`) and in a GET's 200 response
 * body (`out`); other bodies (the `ok` a POST gets, a refusal's text) carry none.
 */
export function socketIoLabeller(dir: "in" | "out"): MessageLabeller {
  const decoder = new SocketIoDecoder();
  return {
    message: (data) => joinLabels(decoder.pushWebSocketMessage(data).map(labelOf)),
    body: (text, { method, status }) => {
      const carriesPackets = dir === "in" ? method === "POST" : method === "GET" && status === 200;
      if (!carriesPackets || text === "") return [];
      return decoder.pushPollingBody(text).map(labelOf);
    },
  };
}

/** A label per decoded packet; errors say which layer could not read it, with ⚠ first. */
export function labelOf(result: FramePacketDecoded | EngineIoDecoded): string {
  if (result.type === "error") return `⚠ ${result.layer}: ${result.reason}`;
  return labelFramePacket(result);
}

/** Several results for one message (an abandoned binary packet, then this one) in one label. */
function joinLabels(labels: string[]): string {
  return labels.join(" ; ");
}

/** Every protocol the tap decodes, first match wins. Add new ones here (one line each). */
export const LABELLERS: readonly LabellerEntry[] = [
  {
    layer: "socket.io",
    matches: ({ path }) => path.startsWith(ENGINE_IO_PREFIX),
    create: () => ({ in: socketIoLabeller("in"), out: socketIoLabeller("out") }),
  },
  {
    // The multiplexing subprotocol: `{"op":"data","ch":3,…}` → `channel 3 · data`.
    layer: "mux.v1",
    matches: ({ protocol }) => protocol === "mux.v1",
    create: () => ({
      in: { message: (data) => describeMuxMessage("in", data) },
      out: { message: (data) => describeMuxMessage("out", data) },
    }),
  },
];

/** The labellers for a connection, or undefined when nothing above WebSocket is decoded. */
export function labellerFor(
  context: LabellerContext,
  entries: readonly LabellerEntry[] = LABELLERS,
): DirectionLabellers | undefined {
  for (const entry of entries) {
    if (entry.matches(context)) return { layer: entry.layer, ...entry.create() };
  }
  return undefined;
}

/** Characters one label keeps (an event name or an error message may be long). */
export const MAX_LABEL_CHARS = 200;

export function clipLabel(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/**
 * Runs a labeller without letting it break the tap: a labeller that throws (it should not)
 * gives a label saying so instead. Labels are clipped to MAX_LABEL_CHARS.
 */
export function safeLabel(layer: string, run: () => string): string {
  try {
    return clipLabel(run());
  } catch (error) {
    return clipLabel(
      `⚠ ${layer}: the decoder failed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** The same for a body's labels; at most `max` labels, the last saying how many were left. */
export function safeBodyLabels(layer: string, max: number, run: () => string[]): string[] {
  let labels: string[];
  try {
    labels = run();
  } catch (error) {
    labels = [
      `⚠ ${layer}: the decoder failed (${error instanceof Error ? error.message : String(error)})`,
    ];
  }
  // At most `max` labels and MAX_BODY_LABEL_CHARS characters in all: an event stays small
  // however many packets one body carried.
  const kept: string[] = [];
  // Room for a last "… N more" label when not all of them can be kept.
  const room = labels.length <= max ? max : max - 1;
  let chars = 0;
  for (const label of labels) {
    const clipped = clipLabel(label);
    if (kept.length === room || chars + clipped.length > MAX_BODY_LABEL_CHARS) break;
    kept.push(clipped);
    chars += clipped.length;
  }
  if (kept.length < labels.length) kept.push(`… ${labels.length - kept.length} more packets`);
  return kept;
}

/** Characters the labels of one HTTP body keep in all. */
export const MAX_BODY_LABEL_CHARS = 2048;
