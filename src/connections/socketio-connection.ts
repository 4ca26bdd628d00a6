/**
 * A card in Socket.IO mode: one socket.io-client `Manager` per card (one Engine.IO connection)
 * and a `Socket` per namespace over it. This module, and the client with it, is loaded only
 * when a card first switches to Socket.IO (connection.ts imports it dynamically).
 *
 * Everything the client reports is written to the stores like a raw card's: the Engine.IO
 * session and its transport (and the upgrade from polling to WebSocket), each namespace's
 * state, every event in the message log with its namespace, and the Manager's own
 * reconnection on the card's reconnect timeline. Each attempt, the first and every one the
 * Manager makes by itself, gets its own id and a fresh tap id, so the server records it.
 */
import { Manager, type Socket } from "socket.io-client";
import type { NamespaceState } from "../stores/connections-store.ts";
import { addToTimeline, cardOf, logMessage, patchCard, startSection } from "./card-events.ts";
import type { Connection, OutgoingMessage } from "./connection.ts";
import { closeInspector, newTapId, openInspector, settleServerRecord } from "./inspector-client.ts";
import {
  describeEventArguments,
  eventArgumentBytes,
  parseAuthPayload,
  parseEventNameList,
  parseNamespaceList,
  SOCKET_IO_ACK_TIMEOUT_MS,
  SOCKET_IO_PATH,
  SOCKET_IO_RANDOMIZATION_FACTOR,
  SOCKET_IO_RECONNECTION_ATTEMPTS,
  SOCKET_IO_RECONNECTION_DELAY_MAX_MS,
  SOCKET_IO_RECONNECTION_DELAY_MS,
} from "./socketio-settings.ts";

interface Session {
  manager: Manager;
  sockets: Map<string, Socket>;
  /** The server's origin as a WebSocket URL, for the inspector; "" when not tapped. */
  inspectBase: string;
  /** When the connection last failed, to show how long the Manager waited before retrying. */
  failedAt: number | undefined;
}

const sessions = new Map<string, Session>();

/** The server URL, checked; the tap applies when it is this page's own server. */
function target(
  url: string,
): { ok: true; url: URL; tapped: boolean } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `Not a URL: ${url}` };
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol)) {
    return { ok: false, reason: `Socket.IO needs an http(s) or ws(s) URL, not ${parsed.protocol}` };
  }
  return { ok: true, url: parsed, tapped: parsed.host === location.host };
}

function inspectBaseOf(url: URL): string {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  return `${secure ? "wss:" : "ws:"}//${url.host}${SOCKET_IO_PATH}`;
}

function patchNamespace(cardId: string, name: string, values: Partial<NamespaceState>): void {
  const card = cardOf(cardId);
  if (!card) return;
  patchCard(cardId, {
    namespaces: card.namespaces.map((ns) => (ns.name === name ? { ...ns, ...values } : ns)),
  });
}

/**
 * Starts the card's next attempt (a section in both logs, a new tap id): by hand, or when
 * the Manager starts a reconnection attempt by itself (`retry` > 0).
 */
function beginAttempt(cardId: string, session: Session, displayUrl: string, retry: number): void {
  const card = cardOf(cardId);
  if (!card) return;
  const number = card.attempt + 1;
  const tapId = session.inspectBase ? newTapId() : "";
  // The Manager builds each new Engine.IO connection from its options: the next one carries
  // the fresh tap id (Socket.IO's documented way to change the query between attempts).
  session.manager.opts.query = tapId ? { tap: tapId } : {};
  const attemptUrl = tapId ? `${displayUrl} · tap ${tapId}` : displayUrl;
  patchCard(cardId, {
    attempted: true,
    attempt: number,
    readyState: "CONNECTING",
    serverRecord: tapId ? "waiting" : "untapped",
    opened: false,
    offered: [],
    attemptUrl: displayUrl,
    tapId,
    handshake: null,
    protocol: "",
    extensions: "",
    close: null,
    constructError: undefined,
    engine: null,
  });
  if (retry === 0) {
    addToTimeline(cardId, {
      kind: "connecting",
      at: Date.now(),
      attempt: number,
      url: displayUrl,
      retry,
    });
  }
  startSection(cardId, number, attemptUrl);
  if (tapId) openInspector(cardId, session.inspectBase, tapId, number);
}

function connect(cardId: string): void {
  const card = cardOf(cardId);
  if (!card) return;
  close(cardId);
  const checked = target(card.socketIo.url);
  const names = parseNamespaceList(card.socketIo.namespacesText);
  patchCard(cardId, {
    namespaces: names.map((name) => ({
      name,
      connected: false,
      socketId: "",
      engineSid: "",
      problem: undefined,
    })),
  });
  if (!checked.ok) {
    patchCard(cardId, { readyState: "CLOSED", constructError: checked.reason });
    logMessage(cardId, { dir: "event", kind: "error", size: 0, preview: checked.reason });
    return;
  }
  const auth = parseAuthPayload(card.socketIo.authText);
  if (!auth.ok) {
    patchCard(cardId, { readyState: "CLOSED", constructError: auth.reason });
    logMessage(cardId, { dir: "event", kind: "error", size: 0, preview: auth.reason });
    return;
  }
  const listenTo =
    card.socketIo.listen === "named" ? parseEventNameList(card.socketIo.listenEventsText) : "all";
  const origin = checked.url.origin;
  const manager = new Manager(origin, {
    path: SOCKET_IO_PATH,
    transports: card.socketIo.transports === "websocket" ? ["websocket"] : ["polling", "websocket"],
    upgrade: card.socketIo.transports !== "websocket",
    reconnection: card.reconnect,
    reconnectionAttempts: SOCKET_IO_RECONNECTION_ATTEMPTS,
    reconnectionDelay: SOCKET_IO_RECONNECTION_DELAY_MS,
    reconnectionDelayMax: SOCKET_IO_RECONNECTION_DELAY_MAX_MS,
    randomizationFactor: SOCKET_IO_RANDOMIZATION_FACTOR,
    // The sockets below are opened once every listener is in place.
    autoConnect: false,
  });
  const session: Session = {
    manager,
    sockets: new Map(),
    inspectBase: checked.tapped ? inspectBaseOf(checked.url) : "",
    failedAt: undefined,
  };
  sessions.set(cardId, session);
  const current = () => sessions.get(cardId) === session;
  const displayUrl = `${origin}${SOCKET_IO_PATH} · ${names.join(" ")}`;
  beginAttempt(cardId, session, displayUrl, 0);
  listenToManager(cardId, session, displayUrl, current);
  for (const name of names) {
    // The auth payload travels in the namespace's CONNECT packet: `40/chat,{"token":"…"}`.
    const socket = manager.socket(name, auth.auth ? { auth: auth.auth } : {});
    session.sockets.set(name, socket);
    listenToNamespace(cardId, name, socket, current, listenTo);
  }
  for (const socket of session.sockets.values()) socket.connect();
}

function listenToManager(
  cardId: string,
  session: Session,
  displayUrl: string,
  current: () => boolean,
): void {
  const { manager } = session;
  const attemptOf = () => cardOf(cardId)?.attempt ?? 0;
  manager.on("open", () => {
    if (!current()) return;
    // Each (re)connection makes a new Engine.IO socket: its events are attached anew.
    const engine = manager.engine;
    const transport = engine.transport.name;
    patchCard(cardId, {
      readyState: "OPEN",
      opened: true,
      engine: { sid: engine.id, transport, upgrading: undefined, upgradedAt: undefined },
    });
    logMessage(cardId, {
      dir: "event",
      kind: "open",
      size: 0,
      preview: `Engine.IO open · sid ${engine.id} · transport ${transport}`,
    });
    addToTimeline(cardId, { kind: "open", at: Date.now(), attempt: attemptOf() });
    engine.on("upgrading", (next) => {
      if (!current() || manager.engine !== engine) return;
      const now = cardOf(cardId)?.engine;
      if (now) patchCard(cardId, { engine: { ...now, upgrading: next.name } });
      logMessage(cardId, {
        dir: "event",
        kind: "upgrade",
        size: 0,
        preview: `Engine.IO probing ${next.name} (2probe → 3probe) while ${engine.transport.name} carries the packets`,
      });
    });
    engine.on("upgrade", (next) => {
      if (!current() || manager.engine !== engine) return;
      const now = cardOf(cardId)?.engine;
      const from = now?.transport ?? "polling";
      if (now) {
        patchCard(cardId, {
          engine: { ...now, transport: next.name, upgrading: undefined, upgradedAt: Date.now() },
        });
      }
      logMessage(cardId, {
        dir: "event",
        kind: "upgrade",
        size: 0,
        preview: `Engine.IO upgraded: ${from} → ${next.name} (same sid ${engine.id})`,
      });
    });
    engine.on("upgradeError", (error) => {
      if (!current() || manager.engine !== engine) return;
      const now = cardOf(cardId)?.engine;
      if (now) patchCard(cardId, { engine: { ...now, upgrading: undefined } });
      logMessage(cardId, {
        dir: "event",
        kind: "error",
        size: 0,
        preview: `Engine.IO upgrade failed, staying on ${engine.transport.name}: ${error.message}`,
      });
    });
  });
  manager.on("error", (error) => {
    if (!current()) return;
    session.failedAt = Date.now();
    patchCard(cardId, { readyState: "CLOSED" });
    logMessage(cardId, {
      dir: "event",
      kind: "error",
      size: 0,
      preview: `Engine.IO could not connect: ${error.message}`,
    });
    const card = cardOf(cardId);
    if (card?.tapId) void settleServerRecord(cardId, card.attempt);
  });
  manager.on("close", (reason) => {
    if (!current()) return;
    session.failedAt = Date.now();
    patchCard(cardId, { readyState: "CLOSED" });
    logMessage(cardId, {
      dir: "event",
      kind: "close",
      size: 0,
      preview: `Engine.IO closed: ${reason}`,
    });
    addToTimeline(cardId, { kind: "sio-close", at: Date.now(), attempt: attemptOf(), reason });
    const card = cardOf(cardId);
    if (card?.tapId) void settleServerRecord(cardId, card.attempt);
  });
  manager.on("reconnect_attempt", (retry) => {
    if (!current()) return;
    const at = Date.now();
    const waitedMs = session.failedAt === undefined ? undefined : at - session.failedAt;
    beginAttempt(cardId, session, displayUrl, retry);
    addToTimeline(cardId, {
      kind: "sio-reconnect-attempt",
      at,
      attempt: attemptOf(),
      retry,
      waitedMs,
    });
  });
  manager.on("reconnect_error", (error) => {
    if (!current()) return;
    session.failedAt = Date.now();
    addToTimeline(cardId, {
      kind: "sio-reconnect-error",
      at: Date.now(),
      attempt: attemptOf(),
      message: error.message,
    });
  });
  manager.on("reconnect", (retries) => {
    if (!current()) return;
    addToTimeline(cardId, { kind: "sio-reconnect", at: Date.now(), attempt: attemptOf(), retries });
  });
  manager.on("reconnect_failed", () => {
    if (!current()) return;
    patchCard(cardId, { readyState: "CLOSED" });
    addToTimeline(cardId, { kind: "sio-reconnect-failed", at: Date.now(), attempt: attemptOf() });
  });
}

function listenToNamespace(
  cardId: string,
  name: string,
  socket: Socket,
  current: () => boolean,
  listenTo: "all" | string[],
): void {
  socket.on("connect", () => {
    if (!current()) return;
    const engineSid = socket.io.engine.id;
    patchNamespace(cardId, name, {
      connected: true,
      socketId: socket.id ?? "",
      engineSid,
      problem: undefined,
    });
    logMessage(cardId, {
      dir: "event",
      kind: "open",
      namespace: name,
      size: 0,
      preview: `connect · socket id ${socket.id} over Engine.IO sid ${engineSid}`,
    });
  });
  socket.on("disconnect", (reason) => {
    if (!current()) return;
    patchNamespace(cardId, name, { connected: false, problem: reason });
    logMessage(cardId, {
      dir: "event",
      kind: "close",
      namespace: name,
      size: 0,
      preview: `disconnect · ${reason}`,
    });
  });
  socket.on("connect_error", (error) => {
    if (!current()) return;
    patchNamespace(cardId, name, { connected: false, problem: error.message });
    logMessage(cardId, {
      dir: "event",
      kind: "error",
      namespace: name,
      size: 0,
      preview: `connect_error · ${error.message}`,
    });
  });
  const report = (event: string, args: unknown[]) => {
    if (!current()) return;
    logMessage(cardId, {
      dir: "in",
      kind: "event",
      namespace: name,
      size: eventArgumentBytes(args),
      preview: `${event} ${describeEventArguments(args)}`,
    });
  };
  if (listenTo === "all") {
    // One catch-all listener: every event the server sends on this namespace is shown.
    socket.onAny((event: string, ...args: unknown[]) => report(event, args));
    return;
  }
  // Only the named events have listeners; the client drops any other event unseen.
  for (const event of listenTo) {
    socket.on(event, (...args: unknown[]) => report(event, args));
  }
}

function emit(cardId: string, message: Extract<OutgoingMessage, { type: "event" }>): void {
  const session = sessions.get(cardId);
  const socket = session?.sockets.get(message.namespace);
  if (!session || !socket) {
    logMessage(cardId, {
      dir: "event",
      kind: "error",
      namespace: message.namespace,
      size: 0,
      preview: `Not sent: ${message.namespace} is not one of this connection's namespaces.`,
    });
    return;
  }
  const text = describeEventArguments(message.args);
  logMessage(cardId, {
    dir: "out",
    kind: "event",
    namespace: message.namespace,
    size: eventArgumentBytes(message.args),
    preview: `${message.event} ${text}${message.ack ? " · asks for an ack" : ""}`,
  });
  if (!message.ack) {
    socket.emit(message.event, ...message.args);
    return;
  }
  const sentAt = performance.now();
  socket
    .timeout(SOCKET_IO_ACK_TIMEOUT_MS)
    .emit(message.event, ...message.args, (error: Error | null, ...answer: unknown[]) => {
      if (sessions.get(cardId) !== session) return;
      const ms = Math.round(performance.now() - sentAt);
      const answerText = describeEventArguments(answer);
      logMessage(cardId, {
        dir: error ? "event" : "in",
        kind: error ? "error" : "ack",
        namespace: message.namespace,
        size: error ? 0 : eventArgumentBytes(answer),
        preview: error
          ? `no ack for ${message.event} within ${SOCKET_IO_ACK_TIMEOUT_MS / 1000} s`
          : `ack for ${message.event} after ${ms} ms: ${answerText}`,
      });
    });
}

/** Disconnects every namespace; the Manager then closes its Engine.IO connection. */
function close(cardId: string): string | undefined {
  const session = sessions.get(cardId);
  if (!session) return undefined;
  session.manager.reconnection(false);
  for (const socket of session.sockets.values()) socket.disconnect();
  // A Manager waiting to reconnect has no sockets left to close: the disconnects above stopped it.
  sessions.delete(cardId);
  const card = cardOf(cardId);
  if (card && card.readyState !== "CLOSED") patchCard(cardId, { readyState: "CLOSED" });
  return undefined;
}

function setReconnect(cardId: string, on: boolean): void {
  patchCard(cardId, { reconnect: on });
  const session = sessions.get(cardId);
  if (!session) return;
  session.manager.reconnection(on);
  // A Manager between attempts keeps its timer even with reconnection off: stop it for good.
  if (!on && cardOf(cardId)?.readyState !== "OPEN" && session.manager._reconnecting) {
    addToTimeline(cardId, {
      kind: "cancelled",
      at: Date.now(),
      attempt: cardOf(cardId)?.attempt ?? 0,
    });
    close(cardId);
  }
}

export const socketIoConnection: Connection = {
  mode: "socketio",
  connect,
  close(cardId, code) {
    close(cardId);
    return code === undefined
      ? undefined
      : "Socket.IO has no close codes: each namespace was sent a DISCONNECT packet instead.";
  },
  send(cardId, message) {
    if (message.type === "event") {
      emit(cardId, message);
      return;
    }
    logMessage(cardId, {
      dir: "event",
      kind: "error",
      size: 0,
      preview:
        "Not sent: Socket.IO sends events, not raw messages (a raw message would break its protocol).",
    });
  },
  setReconnect,
  forget(cardId) {
    close(cardId);
    closeInspector(cardId);
  },
};
