/**
 * Socket.IO protocol v5 packets, decoded for the frame log. Pure (no DOM, no Node), shared by
 * the server's tap and the page.
 *
 * A Socket.IO packet is the data of an Engine.IO message packet:
 *   <type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]
 * e.g. `2/chat,["said",{…}]`, `21["echo",1]` (ack id 1), `31[…]`, `0/chat,{"sid":"…"}`,
 * `451-["echo",{"_placeholder":true,"num":0}]` followed by 1 binary message, the attachment
 * the placeholder stands for.
 *
 * `parseSocketIoPacket` reads one text packet. `SocketIoDecoder` is stateful, one per
 * direction of one connection: it takes that direction's Engine.IO packets in order and joins
 * binary packets with their attachments. Both return errors as values and the decoder goes
 * on with the next packet after one, unlike socket.io-parser's `Decoder`, which throws and,
 * after a missing attachment, refuses every text packet that follows.
 */
import {
  decodeEngineIoPacket,
  decodeEngineIoPayload,
  type EngineIoDecoded,
  labelEngineIoPacket,
  previewOf,
} from "./engineio-packet.ts";

/** Packet types by their digit on the wire. */
export const SOCKET_IO_PACKET_TYPES = [
  "CONNECT",
  "DISCONNECT",
  "EVENT",
  "ACK",
  "CONNECT_ERROR",
  "BINARY_EVENT",
  "BINARY_ACK",
] as const;

export type SocketIoPacketType = (typeof SOCKET_IO_PACKET_TYPES)[number];

/** Event names a Socket.IO server refuses (they mean something to the library itself). */
export const RESERVED_EVENTS: readonly string[] = [
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
];

/** What socket.io-parser accepts by default; a packet announcing more is refused. */
export const DEFAULT_MAX_ATTACHMENTS = 10;

/** One text packet as it stands on the wire (placeholders not yet replaced). */
export type SocketIoPacket =
  /** `data`: the client's auth payload, or the server's `{ sid }`. */
  | { type: "CONNECT"; nsp: string; data?: Record<string, unknown> }
  | { type: "DISCONNECT"; nsp: string }
  | {
      type: "EVENT" | "BINARY_EVENT";
      nsp: string;
      event: string | number;
      args: unknown[];
      ackId?: number;
      attachments: number;
    }
  | { type: "ACK" | "BINARY_ACK"; nsp: string; ackId: number; args: unknown[]; attachments: number }
  /** `data`: whatever the server's middleware passed with the error (`err.data`). */
  | { type: "CONNECT_ERROR"; nsp: string; message: string; data?: unknown };

export type SocketIoParse = { ok: true; packet: SocketIoPacket } | { ok: false; reason: string };

const fail = (reason: string): SocketIoParse => ({ ok: false, reason });

const isDigit = (char: string | undefined) => char !== undefined && char >= "0" && char <= "9";

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads one text packet; `maxAttachments` bounds what a binary packet may announce. */
export function parseSocketIoPacket(
  text: string,
  maxAttachments = DEFAULT_MAX_ATTACHMENTS,
): SocketIoParse {
  const type = SOCKET_IO_PACKET_TYPES[Number(text[0])];
  if (text.length === 0 || !isDigit(text[0]) || type === undefined) {
    return fail(
      text.length === 0
        ? "An empty message is not a Socket.IO packet."
        : `'${text[0]}' is not a Socket.IO packet type (0–6).`,
    );
  }
  let index = 1;

  let attachments = 0;
  if (type === "BINARY_EVENT" || type === "BINARY_ACK") {
    const start = index;
    while (isDigit(text[index])) index += 1;
    if (index === start || text[index] !== "-") {
      return fail(`A ${type} packet starts with its count of attachments and '-'.`);
    }
    attachments = Number(text.slice(start, index));
    index += 1;
    if (attachments < 1) return fail(`A ${type} packet announces no attachments.`);
    if (attachments > maxAttachments) {
      return fail(`${attachments} attachments announced: more than ${maxAttachments}.`);
    }
  }

  let nsp = "/";
  if (text[index] === "/") {
    const comma = text.indexOf(",", index);
    const end = comma === -1 ? text.length : comma;
    nsp = text.slice(index, end);
    index = comma === -1 ? end : end + 1;
  }

  let ackId: number | undefined;
  const idStart = index;
  while (isDigit(text[index])) index += 1;
  if (index > idStart) {
    ackId = Number(text.slice(idStart, index));
    if (!Number.isSafeInteger(ackId))
      return fail(`The ack id ${text.slice(idStart, index)} is too large.`);
  }

  let data: unknown;
  const json = text.slice(index);
  if (json.length > 0) {
    try {
      data = JSON.parse(json);
    } catch {
      return fail(`The data after ${describeHead(type, nsp, ackId)} is not JSON.`);
    }
  }
  return packetOf(type, nsp, ackId, data, json.length > 0, attachments);
}

function describeHead(type: SocketIoPacketType, nsp: string, ackId: number | undefined): string {
  return `${type} ${nsp}${ackId === undefined ? "" : ` (ack id ${ackId})`}`;
}

function packetOf(
  type: SocketIoPacketType,
  nsp: string,
  ackId: number | undefined,
  data: unknown,
  hasData: boolean,
  attachments: number,
): SocketIoParse {
  switch (type) {
    case "CONNECT":
      if (hasData && !isPlainObject(data)) return fail("A CONNECT packet's data is a JSON object.");
      return {
        ok: true,
        packet: hasData ? { type, nsp, data: data as Record<string, unknown> } : { type, nsp },
      };
    case "DISCONNECT":
      if (hasData) return fail("A DISCONNECT packet carries no data.");
      return { ok: true, packet: { type, nsp } };
    case "CONNECT_ERROR":
      if (typeof data === "string") return { ok: true, packet: { type, nsp, message: data } };
      if (isPlainObject(data) && typeof data.message === "string") {
        return {
          ok: true,
          packet:
            data.data === undefined
              ? { type, nsp, message: data.message }
              : { type, nsp, message: data.message, data: data.data },
        };
      }
      return fail("A CONNECT_ERROR packet's data is a message or { message, data }.");
    case "EVENT":
    case "BINARY_EVENT": {
      if (!Array.isArray(data) || data.length === 0) {
        return fail(`An ${type} packet's data is a JSON array: [event name, ...arguments].`);
      }
      const [event, ...args] = data as unknown[];
      if (typeof event !== "string" && typeof event !== "number") {
        return fail(`An ${type} packet's first element is the event name (a string).`);
      }
      if (typeof event === "string" && RESERVED_EVENTS.includes(event)) {
        return fail(`'${event}' is a reserved event name: a server refuses it.`);
      }
      const packet: SocketIoPacket = { type, nsp, event, args, attachments };
      if (ackId !== undefined) packet.ackId = ackId;
      return { ok: true, packet };
    }
    case "ACK":
    case "BINARY_ACK":
      if (ackId === undefined) return fail(`An ${type} packet names the ack id it answers.`);
      if (!Array.isArray(data))
        return fail(`An ${type} packet's data is a JSON array of arguments.`);
      return { ok: true, packet: { type, nsp, ackId, args: data, attachments } };
  }
}

interface Placeholder {
  /** The array or object holding the placeholder, and where. */
  holder: Record<string | number, unknown>;
  key: string | number;
  num: number;
}

const isPlaceholderShaped = (value: unknown): value is Record<string, unknown> =>
  isPlainObject(value) && value._placeholder === true;

/**
 * Every `{"_placeholder":true,"num":N}` in `root`, walked without recursion (a deeply nested
 * JSON value must not overflow the stack). An error when one does not name an attachment.
 */
function findPlaceholders(
  root: unknown[],
  attachments: number,
): { ok: true; placeholders: Placeholder[] } | { ok: false; reason: string } {
  const placeholders: Placeholder[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    const holder = value as Record<string | number, unknown>;
    for (const key of Object.keys(holder)) {
      const child = holder[key];
      if (isPlaceholderShaped(child)) {
        const num = child.num;
        if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num >= attachments) {
          return {
            ok: false,
            reason: `A placeholder names attachment ${JSON.stringify(num)}: only 0 to ${attachments - 1} were announced.`,
          };
        }
        placeholders.push({ holder, key: Array.isArray(holder) ? Number(key) : key, num });
      } else if (typeof child === "object" && child !== null) {
        stack.push(child);
      }
    }
  }
  return { ok: true, placeholders };
}

// --- The decoder ----------------------------------------------------------------------------

type BinaryPacket = SocketIoPacket & { type: "BINARY_EVENT" | "BINARY_ACK" };

/** A Socket.IO packet whose data is complete: attachments are in place of their placeholders. */
export type SocketIoMessage = { layer: "socket.io" } & SocketIoPacket;

/** A binary packet (header or one of its attachments) while attachments are still to come. */
export interface SocketIoWaiting {
  layer: "socket.io";
  type: "waiting";
  packetType: "BINARY_EVENT" | "BINARY_ACK";
  nsp: string;
  event?: string | number;
  ackId?: number;
  /** Attachments received so far, and announced. */
  received: number;
  attachments: number;
  /** Set when this result is for an attachment rather than the header. */
  attachmentBytes?: number;
}

export interface SocketIoError {
  layer: "socket.io";
  type: "error";
  reason: string;
  preview: string;
}

/** What one Engine.IO packet means: a Socket.IO result for a message, the packet otherwise. */
export type FramePacketDecoded =
  | EngineIoDecoded
  | SocketIoMessage
  | SocketIoWaiting
  | SocketIoError;

function socketIoError(reason: string, preview: string): SocketIoError {
  return { layer: "socket.io", type: "error", reason, preview: previewOf(preview) };
}

const isBinaryPacket = (packet: SocketIoPacket): packet is BinaryPacket =>
  packet.type === "BINARY_EVENT" || packet.type === "BINARY_ACK";

interface Pending {
  packet: BinaryPacket;
  placeholders: Placeholder[];
  buffers: Uint8Array[];
  header: string;
}

export interface SocketIoDecoderOptions {
  /** The most attachments one binary packet may announce; default 10, as socket.io-parser. */
  maxAttachments?: number;
}

/**
 * Decodes one direction of one Engine.IO connection. Feed it that direction's packets in
 * order (`push`), or its raw WebSocket messages (`pushWebSocketMessage`) and long-polling
 * bodies (`pushPollingBody`). Each call answers with one result per packet, in order, plus an
 * error first when a packet gives up on a binary packet whose attachments never came.
 */
export class SocketIoDecoder {
  private pending: Pending | undefined;
  private readonly maxAttachments: number;

  constructor(options: SocketIoDecoderOptions = {}) {
    this.maxAttachments = options.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  }

  /** Whether a binary packet is waiting for attachments. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  pushWebSocketMessage(data: string | Uint8Array): FramePacketDecoded[] {
    return this.push(decodeEngineIoPacket(data));
  }

  pushPollingBody(body: string): FramePacketDecoded[] {
    return decodeEngineIoPayload(body).flatMap((packet) => this.push(packet));
  }

  push(packet: EngineIoDecoded): FramePacketDecoded[] {
    switch (packet.type) {
      case "message":
        return typeof packet.data === "string"
          ? this.text(packet.data)
          : [this.attachment(packet.data)];
      case "open":
      case "close":
        // A connection's end (or a new one) abandons a binary packet still waiting.
        return [...this.abandon(`the ${packet.type} packet`), packet];
      default:
        // Heartbeats, upgrade and noop may come between a binary packet and its attachments.
        return [packet];
    }
  }

  private abandon(instead: string): SocketIoError[] {
    const pending = this.pending;
    if (!pending) return [];
    this.pending = undefined;
    const { packet, buffers } = pending;
    return [
      socketIoError(
        `${packet.type} ${packet.nsp} announced ${packet.attachments} attachment(s) but ${instead} came after ${buffers.length}.`,
        pending.header,
      ),
    ];
  }

  private text(text: string): FramePacketDecoded[] {
    const abandoned = this.abandon("a text packet");
    const parsed = parseSocketIoPacket(text, this.maxAttachments);
    if (!parsed.ok) return [...abandoned, socketIoError(parsed.reason, text)];
    const { packet } = parsed;
    if (!isBinaryPacket(packet)) return [...abandoned, { layer: "socket.io", ...packet }];
    const found = findPlaceholders(packet.args, packet.attachments);
    if (!found.ok) return [...abandoned, socketIoError(found.reason, text)];
    this.pending = { packet, placeholders: found.placeholders, buffers: [], header: text };
    return [...abandoned, this.waitingResult(this.pending)];
  }

  private attachment(bytes: Uint8Array): FramePacketDecoded {
    const pending = this.pending;
    if (!pending) {
      return socketIoError(
        `A binary message (${bytes.length} bytes) that no BINARY_EVENT or BINARY_ACK announced.`,
        "",
      );
    }
    pending.buffers.push(bytes);
    if (pending.buffers.length < pending.packet.attachments) {
      return this.waitingResult(pending, bytes.length);
    }
    this.pending = undefined;
    for (const { holder, key, num } of pending.placeholders) {
      holder[key] = pending.buffers[num];
    }
    return { layer: "socket.io", ...pending.packet };
  }

  private waitingResult(pending: Pending, attachmentBytes?: number): SocketIoWaiting {
    const { packet, buffers } = pending;
    const result: SocketIoWaiting = {
      layer: "socket.io",
      type: "waiting",
      packetType: packet.type,
      nsp: packet.nsp,
      received: buffers.length,
      attachments: packet.attachments,
    };
    if (packet.type === "BINARY_EVENT") result.event = packet.event;
    if (packet.ackId !== undefined) result.ackId = packet.ackId;
    if (attachmentBytes !== undefined) result.attachmentBytes = attachmentBytes;
    return result;
  }
}

// --- Labels ---------------------------------------------------------------------------------

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? "" : "s"}`;

/**
 * A short label for the frame log: `message · EVENT · /chat · said`, `ping · probe`,
 * `message · BINARY_EVENT · / · echo · waiting for attachment 1 of 2`.
 */
export function labelFramePacket(result: FramePacketDecoded): string {
  if (result.layer === "engine.io") return labelEngineIoPacket(result);
  const parts = ["message"];
  switch (result.type) {
    case "CONNECT":
    case "DISCONNECT":
      parts.push(result.type, result.nsp);
      break;
    case "CONNECT_ERROR":
      parts.push(result.type, result.nsp, result.message);
      break;
    case "EVENT":
    case "BINARY_EVENT":
      parts.push(result.type, result.nsp, String(result.event));
      if (result.ackId !== undefined) parts.push(`ack ${result.ackId}`);
      if (result.attachments > 0) parts.push(plural(result.attachments, "attachment"));
      break;
    case "ACK":
    case "BINARY_ACK":
      parts.push(result.type, result.nsp, `ack ${result.ackId}`);
      if (result.attachments > 0) parts.push(plural(result.attachments, "attachment"));
      break;
    case "waiting":
      if (result.attachmentBytes === undefined) {
        parts.push(result.packetType, result.nsp);
        if (result.event !== undefined) parts.push(String(result.event));
        if (result.ackId !== undefined) parts.push(`ack ${result.ackId}`);
      } else {
        parts.push(
          `attachment ${result.received} of ${result.attachments}`,
          plural(result.attachmentBytes, "byte"),
        );
      }
      parts.push(`waiting for attachment ${result.received + 1} of ${result.attachments}`);
      break;
    case "error":
      parts.push("error", result.reason);
      break;
  }
  return parts.join(" · ");
}

/**
 * Labels one WebSocket message of a Socket.IO connection on its own (no state: an attachment
 * shows as a binary message no packet announced): `42/chat,["said",…]` →
 * `message · EVENT · /chat · said`.
 */
export function labelSocketIoMessage(data: string | Uint8Array): string {
  // A fresh decoder has nothing to abandon: one packet, one result.
  const [result] = new SocketIoDecoder().pushWebSocketMessage(data);
  return result ? labelFramePacket(result) : "";
}
