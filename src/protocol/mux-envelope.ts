/**
 * The `mux.v1` subprotocol: many logical channels over one WebSocket (SPEC, "Multiplexing
 * subprotocol mux.v1"). Pure (no DOM, no Node), shared by the `/mux` endpoint, the page's mux
 * client and the frame log's labeller. Encoding and decoding are apart; bad input comes back
 * as a value naming what is wrong (and the channel, when one could be read), never a throw.
 *
 * Wire format:
 *   text     one JSON envelope per message
 *            client→server {"op":"open","ch":N,"service":S,"params":{…}}
 *                          {"op":"data","ch":N,"data":ANY}  {"op":"close","ch":N}
 *            server→client {"op":"opened","ch":N}  {"op":"data","ch":N,"data":ANY}
 *                          {"op":"closed","ch":N,"reason":TEXT}
 *                          {"op":"error","ch":N|null,"code":CODE,"message":TEXT}
 *   binary   a 2-byte big-endian channel id, then that channel's payload
 */

export const MUX_SUBPROTOCOL = "mux.v1";
export const MIN_CHANNEL_ID = 1;
export const MAX_CHANNEL_ID = 65_535;
/** Channels one connection may have open at once. */
export const MAX_OPEN_CHANNELS = 256;
/** Bytes of the channel id in front of a binary frame's payload. */
export const BINARY_HEADER_BYTES = 2;

export type MuxData = unknown;
export type MuxParams = Record<string, unknown>;

export type ClientEnvelope =
  | { op: "open"; ch: number; service: string; params: MuxParams }
  | { op: "data"; ch: number; data: MuxData }
  | { op: "close"; ch: number };

export type ServerEnvelope =
  | { op: "opened"; ch: number }
  | { op: "data"; ch: number; data: MuxData }
  | { op: "closed"; ch: number; reason: string }
  | { op: "error"; ch: number | null; code: MuxErrorCode; message: string };

/** The `code` of an `error` envelope. */
export const MuxErrorCode = {
  /** Not JSON, not an object, or a field missing or of the wrong type. */
  BadEnvelope: "bad-envelope",
  /** `ch` is not an integer in 1–65535. */
  BadChannel: "bad-channel",
  UnknownOp: "unknown-op",
  UnknownService: "unknown-service",
  /** `data` or `close` for a channel that is not open. */
  UnknownChannel: "unknown-channel",
  DuplicateOpen: "duplicate-open",
  BadParams: "bad-params",
  TooManyChannels: "too-many-channels",
  /** `data` for a service that only sends (clock, counter). */
  NoInput: "no-input",
  /** A chat room holds as many channels as it may. */
  RoomFull: "room-full",
  /** A message above the service's size limit (a chat message is copied to every member). */
  TooBig: "too-big",
} as const;
export type MuxErrorCode = (typeof MuxErrorCode)[keyof typeof MuxErrorCode];

/** Errors that mean an `open` failed: the channel was never opened on the server. */
export const OPEN_FAILURES: ReadonlySet<MuxErrorCode> = new Set([
  MuxErrorCode.UnknownService,
  MuxErrorCode.DuplicateOpen,
  MuxErrorCode.BadParams,
  MuxErrorCode.TooManyChannels,
  MuxErrorCode.RoomFull,
]);

/** Why a message could not be decoded, and the channel it named if one could be read. */
export interface MuxDecodeError {
  code: MuxErrorCode;
  message: string;
  ch: number | null;
}

export type MuxDecoded<T> = { ok: true; value: T } | { ok: false; error: MuxDecodeError };

export interface BinaryChannelFrame {
  ch: number;
  payload: Uint8Array;
}

export function isChannelId(value: unknown): value is number {
  return (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= MIN_CHANNEL_ID &&
    value <= MAX_CHANNEL_ID
  );
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** The text of a client envelope. Key order as in the SPEC, so logs read the same everywhere. */
export function encodeClientEnvelope(envelope: ClientEnvelope): string {
  switch (envelope.op) {
    case "open":
      return JSON.stringify({
        op: "open",
        ch: envelope.ch,
        service: envelope.service,
        params: envelope.params,
      });
    case "data":
      return JSON.stringify({ op: "data", ch: envelope.ch, data: envelope.data });
    case "close":
      return JSON.stringify({ op: "close", ch: envelope.ch });
  }
}

export function encodeServerEnvelope(envelope: ServerEnvelope): string {
  switch (envelope.op) {
    case "opened":
      return JSON.stringify({ op: "opened", ch: envelope.ch });
    case "data":
      return JSON.stringify({ op: "data", ch: envelope.ch, data: envelope.data });
    case "closed":
      return JSON.stringify({ op: "closed", ch: envelope.ch, reason: envelope.reason });
    case "error":
      return JSON.stringify({
        op: "error",
        ch: envelope.ch,
        code: envelope.code,
        message: envelope.message,
      });
  }
}

/** A binary frame for channel `ch`: its id in two bytes, big-endian, then the payload. */
export function encodeBinaryFrame(ch: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(BINARY_HEADER_BYTES + payload.length);
  frame[0] = ch >> 8;
  frame[1] = ch & 0xff;
  frame.set(payload, BINARY_HEADER_BYTES);
  return frame;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const CLIENT_OPS = ["open", "data", "close"] as const;
const SERVER_OPS = ["opened", "data", "closed", "error"] as const;
const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(MuxErrorCode));

function fail<T>(code: MuxErrorCode, message: string, ch: number | null = null): MuxDecoded<T> {
  return { ok: false, error: { code, message, ch } };
}

/** The JSON object of an envelope, and its channel id when it names a valid one. */
function parseObject(
  text: string,
): MuxDecoded<{ fields: Record<string, unknown>; op: unknown; ch: unknown }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(MuxErrorCode.BadEnvelope, "not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail(MuxErrorCode.BadEnvelope, "an envelope is a JSON object");
  }
  const fields = parsed as Record<string, unknown>;
  return { ok: true, value: { fields, op: fields.op, ch: fields.ch } };
}

/** Checks `op` and `ch`; errors name the channel where it is valid. */
function checkOpAndChannel<Op extends string>(
  op: unknown,
  ch: unknown,
  ops: readonly Op[],
  nullChannel: boolean,
): MuxDecoded<{ op: Op; ch: number | null }> {
  const channel = isChannelId(ch) ? ch : null;
  if (typeof op !== "string") return fail(MuxErrorCode.BadEnvelope, "op is missing", channel);
  if (!(ops as readonly string[]).includes(op)) {
    return fail(
      MuxErrorCode.UnknownOp,
      `unknown op "${op.slice(0, 32)}" (expected ${ops.join(", ")})`,
      channel,
    );
  }
  if (nullChannel && ch === null) return { ok: true, value: { op: op as Op, ch: null } };
  if (ch === undefined) return fail(MuxErrorCode.BadEnvelope, "ch is missing");
  if (channel === null) {
    return fail(
      MuxErrorCode.BadChannel,
      `ch must be an integer from ${MIN_CHANNEL_ID} to ${MAX_CHANNEL_ID}, not ${JSON.stringify(ch)?.slice(0, 32)}`,
    );
  }
  return { ok: true, value: { op: op as Op, ch: channel } };
}

/** Decodes a text message a client sent. */
export function decodeClientEnvelope(text: string): MuxDecoded<ClientEnvelope> {
  const object = parseObject(text);
  if (!object.ok) return object;
  const { fields } = object.value;
  const head = checkOpAndChannel(object.value.op, object.value.ch, CLIENT_OPS, false);
  if (!head.ok) return head;
  const ch = head.value.ch as number;
  switch (head.value.op) {
    case "open": {
      if (typeof fields.service !== "string") {
        return fail(MuxErrorCode.BadEnvelope, "open needs a service name (a string)", ch);
      }
      const params = "params" in fields ? fields.params : {};
      if (typeof params !== "object" || params === null || Array.isArray(params)) {
        return fail(MuxErrorCode.BadEnvelope, "params must be a JSON object", ch);
      }
      return {
        ok: true,
        value: { op: "open", ch, service: fields.service, params: params as MuxParams },
      };
    }
    case "data":
      if (!("data" in fields)) return fail(MuxErrorCode.BadEnvelope, "data is missing", ch);
      return { ok: true, value: { op: "data", ch, data: fields.data } };
    case "close":
      return { ok: true, value: { op: "close", ch } };
  }
}

/** Decodes a text message a server sent. */
export function decodeServerEnvelope(text: string): MuxDecoded<ServerEnvelope> {
  const object = parseObject(text);
  if (!object.ok) return object;
  const { fields } = object.value;
  const nullChannel = object.value.op === "error";
  const head = checkOpAndChannel(object.value.op, object.value.ch, SERVER_OPS, nullChannel);
  if (!head.ok) return head;
  const { ch } = head.value;
  switch (head.value.op) {
    case "opened":
      return { ok: true, value: { op: "opened", ch: ch as number } };
    case "data":
      if (!("data" in fields)) return fail(MuxErrorCode.BadEnvelope, "data is missing", ch);
      return { ok: true, value: { op: "data", ch: ch as number, data: fields.data } };
    case "closed":
      if (typeof fields.reason !== "string") {
        return fail(MuxErrorCode.BadEnvelope, "closed needs a reason (a string)", ch);
      }
      return { ok: true, value: { op: "closed", ch: ch as number, reason: fields.reason } };
    case "error":
      if (typeof fields.code !== "string" || !ERROR_CODES.has(fields.code)) {
        return fail(MuxErrorCode.BadEnvelope, "error needs a known code", ch);
      }
      if (typeof fields.message !== "string") {
        return fail(MuxErrorCode.BadEnvelope, "error needs a message (a string)", ch);
      }
      return {
        ok: true,
        value: { op: "error", ch, code: fields.code as MuxErrorCode, message: fields.message },
      };
  }
}

/** Decodes a binary message (either direction): the channel and its payload (a view, no copy). */
export function decodeBinaryFrame(bytes: Uint8Array): MuxDecoded<BinaryChannelFrame> {
  if (bytes.length < BINARY_HEADER_BYTES) {
    return fail(
      MuxErrorCode.BadEnvelope,
      `a binary frame starts with a 2-byte channel id; this one has ${bytes.length} byte${bytes.length === 1 ? "" : "s"}`,
    );
  }
  const ch = ((bytes[0] as number) << 8) | (bytes[1] as number);
  if (!isChannelId(ch)) return fail(MuxErrorCode.BadChannel, "channel 0 is not a channel");
  return { ok: true, value: { ch, payload: bytes.subarray(BINARY_HEADER_BYTES) } };
}

// ---------------------------------------------------------------------------------------------
// The frame log's labels

/** `in` is client→server (a client envelope), `out` server→client, as in the frame inspector. */
export type MuxDirection = "in" | "out";

/**
 * A one-line label for a whole message of a `mux.v1` connection, for the frame log:
 * `channel 3 · data`, `channel 3 · open chat`, `⚠ mux: bad envelope: not JSON`.
 */
export function describeMuxMessage(direction: MuxDirection, data: string | Uint8Array): string {
  if (typeof data !== "string") {
    const frame = decodeBinaryFrame(data);
    if (!frame.ok) return badLabel(frame.error);
    return `channel ${frame.value.ch} · data (binary, ${frame.value.payload.length} bytes)`;
  }
  const decoded = direction === "in" ? decodeClientEnvelope(data) : decodeServerEnvelope(data);
  if (!decoded.ok) return badLabel(decoded.error);
  const envelope = decoded.value;
  const channel = envelope.ch === null ? "connection" : `channel ${envelope.ch}`;
  switch (envelope.op) {
    case "open":
      return `${channel} · open ${envelope.service}`;
    case "closed":
      return `${channel} · closed: ${envelope.reason}`;
    case "error":
      return `${channel} · error ${envelope.code}: ${envelope.message}`;
    default:
      return `${channel} · ${envelope.op}`;
  }
}

/** The channel a message belongs to (to colour the log by channel); null when none. */
export function muxMessageChannel(
  direction: MuxDirection,
  data: string | Uint8Array,
): number | null {
  if (typeof data !== "string") {
    const frame = decodeBinaryFrame(data);
    return frame.ok ? frame.value.ch : null;
  }
  const decoded = direction === "in" ? decodeClientEnvelope(data) : decodeServerEnvelope(data);
  return decoded.ok ? decoded.value.ch : decoded.error.ch;
}

function badLabel(error: MuxDecodeError): string {
  const where = error.ch === null ? "" : ` (channel ${error.ch})`;
  return `⚠ mux: ${error.code.replaceAll("-", " ")}${where}: ${error.message}`;
}
