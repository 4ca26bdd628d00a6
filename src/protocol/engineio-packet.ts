/**
 * Engine.IO protocol v4 packets, decoded for the frame log: what one WebSocket message or one
 * HTTP long-polling body carried. Pure (no DOM, no Node), shared by the server's tap and the
 * page. Like engine.io-parser, bad input comes back as a value (an `error` packet), never an
 * exception; unlike it, a polling body goes on after a bad record, so the log shows every one.
 *
 * Wire format (https://socket.io/docs/v4/engine-io-protocol/):
 *   text     one type digit, then the data: `0{"sid":…}` open, `1` close, `2` ping, `3` pong
 *            (`2probe`/`3probe` during the upgrade), `4…` message, `5` upgrade, `6` noop
 *   binary   a WebSocket binary frame is a message packet, its bytes the data (no type byte)
 *   polling  packets joined by the record separator U+001E; a binary message is `b` + base64
 */
import { parseBase64 } from "./binary-text.ts";

/** Packet types by their digit on the wire. */
export const ENGINE_IO_PACKET_TYPES = {
  "0": "open",
  "1": "close",
  "2": "ping",
  "3": "pong",
  "4": "message",
  "5": "upgrade",
  "6": "noop",
} as const;

export type EngineIoPacketType =
  (typeof ENGINE_IO_PACKET_TYPES)[keyof typeof ENGINE_IO_PACKET_TYPES];

/** Joins the packets of a long-polling body (ASCII "record separator"). */
export const POLLING_RECORD_SEPARATOR = "\x1e";

/** What the server's open packet tells the client. */
export interface EngineIoHandshake {
  sid: string;
  /** Transports the client may upgrade to, e.g. `["websocket"]` while polling. */
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  /** Bytes the server accepts in one polling body. */
  maxPayload: number;
}

export type EngineIoPacket =
  | { layer: "engine.io"; type: "open"; handshake: EngineIoHandshake }
  | { layer: "engine.io"; type: "close" }
  /** `data` is `probe` during the upgrade to WebSocket, else empty. */
  | { layer: "engine.io"; type: "ping" | "pong"; data: string }
  | { layer: "engine.io"; type: "message"; data: string | Uint8Array }
  | { layer: "engine.io"; type: "upgrade" }
  | { layer: "engine.io"; type: "noop" };

/** A packet that could not be decoded: shown in the log, never dropped. */
export interface EngineIoError {
  layer: "engine.io";
  type: "error";
  reason: string;
  /** The start of what arrived, for the log. */
  preview: string;
}

export type EngineIoDecoded = EngineIoPacket | EngineIoError;

/** How much of a bad packet an error keeps. */
export const ERROR_PREVIEW_CHARS = 80;

export function previewOf(text: string): string {
  return text.length > ERROR_PREVIEW_CHARS ? `${text.slice(0, ERROR_PREVIEW_CHARS)}…` : text;
}

function engineIoError(reason: string, raw: string): EngineIoError {
  return { layer: "engine.io", type: "error", reason, preview: previewOf(raw) };
}

/**
 * One WebSocket message of an Engine.IO connection: a text frame is a typed packet, a binary
 * frame a binary message.
 */
export function decodeEngineIoPacket(data: string | Uint8Array): EngineIoDecoded {
  if (typeof data !== "string") return { layer: "engine.io", type: "message", data };
  if (data.length === 0) return engineIoError("An empty packet has no type.", data);
  const digit = data[0] as string;
  const type = ENGINE_IO_PACKET_TYPES[digit as keyof typeof ENGINE_IO_PACKET_TYPES];
  if (type === undefined) {
    return engineIoError(`'${digit}' is not an Engine.IO packet type (0–6).`, data);
  }
  const rest = data.slice(1);
  switch (type) {
    case "open":
      return decodeOpen(rest, data);
    case "ping":
    case "pong":
      return { layer: "engine.io", type, data: rest };
    case "message":
      return { layer: "engine.io", type, data: rest };
    case "close":
    case "upgrade":
    case "noop":
      if (rest.length > 0) {
        return engineIoError(`A ${type} packet carries no data (got ${rest.length} chars).`, data);
      }
      return { layer: "engine.io", type };
  }
}

function decodeOpen(json: string, raw: string): EngineIoDecoded {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return engineIoError("The open packet's handshake is not JSON.", raw);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return engineIoError("The open packet's handshake is not a JSON object.", raw);
  }
  const fields = value as Record<string, unknown>;
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = fields;
  if (typeof sid !== "string" || sid.length === 0) {
    return engineIoError("The open packet has no session id (sid).", raw);
  }
  if (!Array.isArray(upgrades) || !upgrades.every((name) => typeof name === "string")) {
    return engineIoError("The open packet's upgrades are not a list of transport names.", raw);
  }
  for (const [name, number] of [
    ["pingInterval", pingInterval],
    ["pingTimeout", pingTimeout],
    ["maxPayload", maxPayload],
  ] as const) {
    if (typeof number !== "number" || !Number.isFinite(number) || number < 0) {
      return engineIoError(`The open packet's ${name} is not a number of ms or bytes.`, raw);
    }
  }
  return {
    layer: "engine.io",
    type: "open",
    handshake: {
      sid,
      upgrades: upgrades as string[],
      pingInterval: pingInterval as number,
      pingTimeout: pingTimeout as number,
      maxPayload: maxPayload as number,
    },
  };
}

/**
 * The packets of one HTTP long-polling body (a GET's response or a POST's request), in order.
 * A bad record is an error in its place; the records after it are still decoded.
 */
export function decodeEngineIoPayload(body: string): EngineIoDecoded[] {
  return body.split(POLLING_RECORD_SEPARATOR).map(decodePollingRecord);
}

function decodePollingRecord(record: string): EngineIoDecoded {
  if (!record.startsWith("b")) return decodeEngineIoPacket(record);
  const parsed = parseBase64(record.slice(1));
  if (!parsed.ok) return engineIoError(`A binary record ('b' prefix): ${parsed.reason}`, record);
  return { layer: "engine.io", type: "message", data: parsed.bytes };
}

/** A short label: `ping · probe`, `open · sid AbC…`, `message · 12 bytes`, `error · …`. */
export function labelEngineIoPacket(packet: EngineIoDecoded): string {
  switch (packet.type) {
    case "open":
      return `open · sid ${packet.handshake.sid}`;
    case "ping":
    case "pong":
      return packet.data === "" ? packet.type : `${packet.type} · ${packet.data}`;
    case "message":
      return typeof packet.data === "string"
        ? `message · ${packet.data.length} chars`
        : `message · binary · ${packet.data.length} bytes`;
    case "error":
      return `error · ${packet.reason}`;
    default:
      return packet.type;
  }
}
