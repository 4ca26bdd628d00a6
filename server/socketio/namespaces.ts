/**
 * The Socket.IO namespaces of the playground (SPEC "Socket.IO"):
 *
 *   /      `message` (data) → `message` "Received: <data>" (the chapter's example);
 *          `echo` (...args, ack) → ack(...args), binary arguments included.
 *   /chat  `join` (room), `leave` (room), `nick` (name), `say` (text) or `say` (room, text)
 *          → `said` { from: socket.id, nick, room, text } to everyone in the room, sender too.
 *          `say` (text) goes to the room the socket joined last.
 *   /news  `tick` { n, at } every second to every connected socket.
 *
 * Every input is bounded (see `NamespaceLimits`). Bad input, an unknown event, or too many
 * events are answered with an `error` event { event, message } to that socket, and with
 * `{ ok: false, error }` to its acknowledgement when it asked for one; never a crash.
 */
import type { Namespace, Server, Socket } from "socket.io";

export interface NamespaceLimits {
  /** Characters in a room name; default 64. */
  maxRoomNameLength?: number;
  /** Rooms one socket may be in at once (besides its own); default 16. */
  maxRoomsPerSocket?: number;
  /** Characters in a nick; default 32. */
  maxNickLength?: number;
  /** Characters in one `say`; default 4,096. */
  maxTextLength?: number;
  /** Events one socket may send per second; more are dropped with an `error`. Default 200. */
  maxEventsPerSecond?: number;
}

export interface NamespaceOptions extends NamespaceLimits {
  /** Interval of `/news` ticks in ms; default 1,000. */
  tickIntervalMs?: number;
}

export const DEFAULT_NAMESPACE_LIMITS: Required<NamespaceLimits> = {
  maxRoomNameLength: 64,
  maxRoomsPerSocket: 16,
  maxNickLength: 32,
  maxTextLength: 4096,
  maxEventsPerSecond: 200,
};
export const DEFAULT_TICK_INTERVAL_MS = 1000;

/** What `/chat` broadcasts for a `say`. */
export interface SaidMessage {
  from: string;
  nick: string | null;
  room: string;
  text: string;
}

/** What `/news` sends every interval: a count since the server started, and the time. */
export interface Tick {
  n: number;
  at: string;
}

/** The answer to bad input, as the `error` event's argument. */
export interface SocketIoInputError {
  event: string;
  message: string;
}

export interface PlaygroundNamespaces {
  /** Stops the `/news` timer for good. */
  close(): void;
  /** Whether the `/news` timer runs: only while `/news` has sockets, and not after close(). */
  readonly newsTicking: boolean;
}

type Ack = (...args: unknown[]) => void;

/** A handler's answer: a value for the ack, or an error for the `error` event and the ack. */
type Outcome = { ok: true; [key: string]: unknown } | { ok: false; error: string };

const fail = (error: string): Outcome => ({ ok: false, error });

/** Splits the acknowledgement (the last argument, when the client asked for one) off. */
function splitAck(args: unknown[]): { args: unknown[]; ack: Ack | undefined } {
  const last = args[args.length - 1];
  return typeof last === "function"
    ? { args: args.slice(0, -1), ack: last as Ack }
    : { args, ack: undefined };
}

function sendError(socket: Socket, event: string, message: string): void {
  const error: SocketIoInputError = { event, message };
  socket.emit("error", error);
}

/**
 * Registers a handler that validates its input: its outcome goes to the ack (when asked for),
 * and a failure also goes to the socket's `error` event.
 */
function handle(socket: Socket, event: string, run: (args: unknown[]) => Outcome): void {
  socket.on(event, (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const outcome = run(args);
    if (!outcome.ok) sendError(socket, event, outcome.error);
    ack?.(outcome);
  });
}

// A name a person can read in the log: no control characters, not blank.
const CONTROL_CHARACTERS = /\p{Cc}/u;

function checkName(what: string, value: unknown, maxLength: number): string | undefined {
  if (typeof value !== "string") return `The ${what} must be a string.`;
  if (value.trim().length === 0) return `The ${what} must not be empty.`;
  if (value.length > maxLength) return `The ${what} is longer than ${maxLength} characters.`;
  if (CONTROL_CHARACTERS.test(value)) return `The ${what} must not contain control characters.`;
  return undefined;
}

/**
 * Allows `perSecond` events in any one-second window (a fixed window, reset each second).
 * Answers whether this event may pass, and whether it is the first one refused in its window
 * (only that one is answered with an `error`, so a flood is not echoed back as a flood).
 */
function rateGate(perSecond: number, now: () => number = Date.now) {
  // The first window starts with the first event.
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  return (): "pass" | "refuse-first" | "refuse" => {
    const time = now();
    if (time - windowStart >= 1000) {
      windowStart = time;
      count = 0;
    }
    count += 1;
    if (count <= perSecond) return "pass";
    return count === perSecond + 1 ? "refuse-first" : "refuse";
  };
}

/**
 * Lets only the namespace's own events through, at a bounded rate. An event without a
 * handler would otherwise do nothing, and one named `error` would be emitted on the server's
 * socket with no listener: Node's EventEmitter throws on that.
 */
function guardEvents(socket: Socket, known: ReadonlySet<string>, maxEventsPerSecond: number): void {
  const gate = rateGate(maxEventsPerSecond);
  socket.use(([event, ...rest], next) => {
    const { ack } = splitAck(rest);
    const verdict = gate();
    if (verdict !== "pass") {
      if (verdict === "refuse-first") {
        sendError(
          socket,
          String(event),
          `More than ${maxEventsPerSecond} events a second: the rest of this second's are dropped.`,
        );
      }
      return;
    }
    if (typeof event !== "string" || !known.has(event)) {
      const message = `${socket.nsp.name} has no event '${String(event)}': it answers ${[...known].join(", ")}.`;
      sendError(socket, String(event), message);
      ack?.(fail(message));
      return;
    }
    next();
  });
  // Keeps a middleware error (socket.use's next(err)) from being an unhandled `error`.
  socket.on("error", () => {});
}

/** How `message` shows its data in `Received: <data>`. */
export function describeData(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return `<${data.length} bytes>`;
  if (data === undefined) return "undefined";
  return JSON.stringify(data) ?? String(data);
}

function registerMain(nsp: Namespace, limits: Required<NamespaceLimits>): void {
  const known = new Set(["message", "echo"]);
  nsp.on("connection", (socket) => {
    guardEvents(socket, known, limits.maxEventsPerSecond);
    socket.on("message", (...raw: unknown[]) => {
      const { args, ack } = splitAck(raw);
      const answer = `Received: ${describeData(args[0])}`;
      socket.emit("message", answer);
      ack?.(answer);
    });
    socket.on("echo", (...raw: unknown[]) => {
      const { args, ack } = splitAck(raw);
      if (!ack) {
        sendError(socket, "echo", "echo answers through its acknowledgement: emit it with one.");
        return;
      }
      ack(...args);
    });
  });
}

/** Sockets' own rooms are their ids; the chat's rooms are prefixed so a name cannot be one. */
const ROOM_PREFIX = "room:";

function registerChat(nsp: Namespace, limits: Required<NamespaceLimits>): void {
  const known = new Set(["join", "leave", "say", "nick"]);
  nsp.on("connection", (socket) => {
    guardEvents(socket, known, limits.maxEventsPerSecond);
    let nick: string | null = null;
    // The chat rooms this socket is in, in the order it joined them.
    const joined: string[] = [];

    handle(socket, "join", ([room]) => {
      const invalid = checkName("room name", room, limits.maxRoomNameLength);
      if (invalid) return fail(invalid);
      const name = room as string;
      if (!joined.includes(name)) {
        if (joined.length >= limits.maxRoomsPerSocket) {
          return fail(`A socket may be in ${limits.maxRoomsPerSocket} rooms at most.`);
        }
        joined.push(name);
        void socket.join(ROOM_PREFIX + name);
      }
      return { ok: true, room: name, rooms: [...joined] };
    });

    handle(socket, "leave", ([room]) => {
      const index = typeof room === "string" ? joined.indexOf(room) : -1;
      if (index === -1) return fail(`Not in the room ${JSON.stringify(room)}.`);
      joined.splice(index, 1);
      void socket.leave(ROOM_PREFIX + (room as string));
      return { ok: true, room: room as string, rooms: [...joined] };
    });

    handle(socket, "nick", ([name]) => {
      const invalid = checkName("nick", name, limits.maxNickLength);
      if (invalid) return fail(invalid);
      nick = name as string;
      return { ok: true, nick };
    });

    handle(socket, "say", (args) => {
      const [room, text] = args.length >= 2 ? args : [joined[joined.length - 1], args[0]];
      if (typeof text !== "string") return fail("say takes a text (and a room before it).");
      if (text.length > limits.maxTextLength) {
        return fail(`The text is longer than ${limits.maxTextLength} characters.`);
      }
      if (room === undefined) return fail("Join a room before you say something.");
      if (typeof room !== "string" || !joined.includes(room)) {
        return fail(`Not in the room ${JSON.stringify(room)}: join it first.`);
      }
      const said: SaidMessage = { from: socket.id, nick, room, text };
      nsp.to(ROOM_PREFIX + room).emit("said", said);
      return { ok: true, room };
    });
  });
}

function registerNews(nsp: Namespace, limits: Required<NamespaceLimits>, intervalMs: number) {
  let n = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  nsp.on("connection", (socket) => {
    guardEvents(socket, new Set(), limits.maxEventsPerSecond);
    if (closed) return;
    timer ??= setInterval(() => {
      n += 1;
      const tick: Tick = { n, at: new Date().toISOString() };
      nsp.emit("tick", tick);
    }, intervalMs);
    socket.on("disconnect", () => {
      // The socket has left the namespace by now: no one left, no ticks.
      if (nsp.sockets.size === 0) stop();
    });
  });
  return {
    close() {
      closed = true;
      stop();
    },
    get ticking() {
      return timer !== undefined;
    },
  };
}

/** Registers `/`, `/chat` and `/news` on `io`; other namespaces are refused by Socket.IO. */
export function registerNamespaces(
  io: Server,
  options: NamespaceOptions = {},
): PlaygroundNamespaces {
  const limits: Required<NamespaceLimits> = {
    maxRoomNameLength: options.maxRoomNameLength ?? DEFAULT_NAMESPACE_LIMITS.maxRoomNameLength,
    maxRoomsPerSocket: options.maxRoomsPerSocket ?? DEFAULT_NAMESPACE_LIMITS.maxRoomsPerSocket,
    maxNickLength: options.maxNickLength ?? DEFAULT_NAMESPACE_LIMITS.maxNickLength,
    maxTextLength: options.maxTextLength ?? DEFAULT_NAMESPACE_LIMITS.maxTextLength,
    maxEventsPerSecond: options.maxEventsPerSecond ?? DEFAULT_NAMESPACE_LIMITS.maxEventsPerSecond,
  };
  registerMain(io.of("/"), limits);
  registerChat(io.of("/chat"), limits);
  const news = registerNews(
    io.of("/news"),
    limits,
    options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS,
  );
  return {
    close: () => news.close(),
    get newsTicking() {
      return news.ticking;
    },
  };
}
