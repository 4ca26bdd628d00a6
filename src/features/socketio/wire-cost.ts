/**
 * What Socket.IO adds on the wire, in bytes, for the same exchange over raw WebSocket and over
 * `mux.v1`: the strings each side really sends, built here and counted in UTF-8. Pure, so the
 * lesson's figures are tested rather than typed in.
 */
import { utf8ByteLength } from "../../protocol/binary-text.ts";
import { encodeClientEnvelope, encodeServerEnvelope } from "../../protocol/mux-envelope.ts";

/** The companion server's Engine.IO settings, as its open packet announces them. */
export const ENGINE_IO_PING_INTERVAL_MS = 25_000;
export const ENGINE_IO_PING_TIMEOUT_MS = 20_000;
export const ENGINE_IO_MAX_PAYLOAD = 1024 * 1024;
/** Engine.IO session ids are 20 characters (15 random bytes in base64url). */
export const ENGINE_IO_SID_LENGTH = 20;

/** A WebSocket frame's header for a payload of `bytes`: 2 bytes, more for long payloads, +4 mask. */
export function webSocketHeaderBytes(bytes: number, masked: boolean): number {
  const length = bytes <= 125 ? 2 : bytes <= 0xffff ? 4 : 10;
  return length + (masked ? 4 : 0);
}

/**
 * A Socket.IO EVENT as one Engine.IO message: `4` (Engine.IO MESSAGE), `2` (Socket.IO EVENT),
 * the namespace unless it is `/` (`/chat,`), an ack id when one is asked for, then the event
 * name and the arguments as one JSON array.
 */
export function socketIoEventPacket(
  namespace: string,
  event: string,
  args: readonly unknown[],
  ackId?: number,
): string {
  const nsp = namespace === "/" ? "" : `${namespace},`;
  return `42${nsp}${ackId ?? ""}${JSON.stringify([event, ...args])}`;
}

/** A namespace's CONNECT packet (client → server), with the auth payload when there is one. */
export function socketIoConnectPacket(namespace: string, auth?: Record<string, unknown>): string {
  const nsp = namespace === "/" ? "" : `${namespace},`;
  return `40${nsp}${auth ? JSON.stringify(auth) : ""}`;
}

/** The Engine.IO open packet the server sends first, with a session id of `sid`. */
export function engineIoOpenPacket(sid: string, upgrades: readonly string[]): string {
  return `0${JSON.stringify({
    sid,
    upgrades,
    pingInterval: ENGINE_IO_PING_INTERVAL_MS,
    pingTimeout: ENGINE_IO_PING_TIMEOUT_MS,
    maxPayload: ENGINE_IO_MAX_PAYLOAD,
  })}`;
}

/** One message of the exchange: what each protocol sends for it, and its bytes. */
export interface WireRow {
  what: string;
  /** Who sends it: the browser's frames are masked (4 more header bytes). */
  from: "client" | "server";
  socketIo: string;
  socketIoBytes: number;
  raw: string;
  rawBytes: number;
  /** The same message as a `mux.v1` envelope on channel 1. */
  mux: string;
  muxBytes: number;
}

function row(
  what: string,
  from: "client" | "server",
  socketIo: string,
  raw: string,
  mux: string,
): WireRow {
  return {
    what,
    from,
    socketIo,
    socketIoBytes: utf8ByteLength(socketIo),
    raw,
    rawBytes: utf8ByteLength(raw),
    mux,
    muxBytes: utf8ByteLength(mux),
  };
}

/**
 * The chapter's exchange on the main namespace: the client's `message` with `text`, the
 * server's `message` "Received: <text>", and the same on `/chat` as a second namespace.
 */
export function chapterExchange(text: string): WireRow[] {
  const answer = `Received: ${text}`;
  return [
    row(
      `message "${text}"`,
      "client",
      socketIoEventPacket("/", "message", [text]),
      text,
      encodeClientEnvelope({ op: "data", ch: 1, data: text }),
    ),
    row(
      `message "${answer}"`,
      "server",
      socketIoEventPacket("/", "message", [answer]),
      answer,
      encodeServerEnvelope({ op: "data", ch: 1, data: answer }),
    ),
    row(
      `say "${text}" on /chat`,
      "client",
      socketIoEventPacket("/chat", "say", [text]),
      text,
      encodeClientEnvelope({ op: "data", ch: 2, data: text }),
    ),
  ];
}

/** What Engine.IO and Socket.IO send before and besides the events, each packet counted. */
export interface StartCost {
  /** The Engine.IO handshake (a polling GET's answer, or the first WebSocket message). */
  open: string;
  openBytes: number;
  /** Each namespace's CONNECT (client) and its answer with the namespace's socket id (server). */
  connects: { namespace: string; sent: string; answer: string; bytes: number }[];
  /** The upgrade probe when polling starts: `2probe`, `3probe`, then `5` (UPGRADE). */
  probe: string[];
  probeBytes: number;
  /** Engine.IO's heartbeat: `2` (ping, server) and `3` (pong, client) every interval. */
  heartbeat: string[];
  heartbeatBytes: number;
  total: number;
}

/**
 * The packets a Socket.IO connection costs before and besides its events, for `namespaces`
 * over polling-then-upgrade (`probe`) or WebSocket only; a session id stands in for the server's.
 */
export function socketIoStartCost(
  namespaces: readonly string[],
  options: { polling: boolean; auth?: Record<string, unknown>; sid?: string },
): StartCost {
  const sid = options.sid ?? "x".repeat(ENGINE_IO_SID_LENGTH);
  const open = engineIoOpenPacket(sid, options.polling ? ["websocket"] : []);
  const connects = namespaces.map((namespace) => {
    const sent = socketIoConnectPacket(namespace, options.auth);
    const nsp = namespace === "/" ? "" : `${namespace},`;
    const answer = `40${nsp}${JSON.stringify({ sid: "y".repeat(ENGINE_IO_SID_LENGTH) })}`;
    return { namespace, sent, answer, bytes: utf8ByteLength(sent) + utf8ByteLength(answer) };
  });
  const probe = options.polling ? ["2probe", "3probe", "5"] : [];
  const heartbeat = ["2", "3"];
  const sum = (texts: readonly string[]) =>
    texts.reduce((total, text) => total + utf8ByteLength(text), 0);
  const openBytes = utf8ByteLength(open);
  const probeBytes = sum(probe);
  const heartbeatBytes = sum(heartbeat);
  const connectBytes = connects.reduce((total, connect) => total + connect.bytes, 0);
  return {
    open,
    openBytes,
    connects,
    probe,
    probeBytes,
    heartbeat,
    heartbeatBytes,
    total: openBytes + connectBytes + probeBytes,
  };
}
