/**
 * `/mux`: the `mux.v1` subprotocol (SPEC, "Multiplexing subprotocol mux.v1"), many logical
 * channels over one WebSocket. Each connection is a `MuxSession` holding its open channels;
 * each channel runs one service (echo, clock, chat, counter). Whatever a client gets wrong is
 * answered with an `error` envelope and the connection and its other channels go on.
 *
 * Bounds: 256 channels per connection; clocks and counters tick at most every 50 ms and skip
 * (clock) or wait (counter) while the client is not reading; a chat message is at most 64 KiB
 * and a room at most 256 channels, and a member that falls behind the room is closed.
 */
import type { WebSocket } from "ws";
import { MUX_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import {
  type ClientEnvelope,
  decodeBinaryFrame,
  decodeClientEnvelope,
  encodeBinaryFrame,
  encodeServerEnvelope,
  MAX_OPEN_CHANNELS,
  MuxErrorCode,
  type ServerEnvelope,
} from "../../src/protocol/mux-envelope.ts";
import {
  checkServiceParams,
  findMuxService,
  MAX_CHAT_MESSAGE_BYTES,
  MAX_ROOM_MEMBERS,
  MUX_SERVICES,
  type MuxServiceParams,
} from "../../src/protocol/mux-services.ts";
import { HIGH_WATER_BYTES, sendWithBackpressure } from "../backpressure.ts";
import { countOut, type EndpointStats } from "../connection-registry.ts";
import { defineEndpoint } from "./endpoint.ts";

/** One open channel as its service runs it. */
interface ChannelRun {
  /** A data envelope's `data` for this channel. Absent: the service takes no data. */
  onData?(data: unknown): void;
  /** A binary frame's payload for this channel. */
  onBinary?(payload: Buffer): void;
  /** Ends the service: timers cleared, rooms left. Called exactly once. */
  stop(): void;
}

/** What a service may do on its channel. */
interface ChannelContext {
  ch: number;
  params: MuxServiceParams;
  session: MuxSession;
}

/** A chat room member: one channel of one connection. */
interface RoomMember {
  session: MuxSession;
  ch: number;
}

/** The chat rooms: one set of members per name, shared by every connection to the endpoint. */
export class ChatRooms {
  readonly #rooms = new Map<string, Set<RoomMember>>();

  /** Adds `member`; false when the room is full. */
  join(room: string, member: RoomMember): boolean {
    let members = this.#rooms.get(room);
    if (!members) {
      members = new Set();
      this.#rooms.set(room, members);
    }
    if (members.size >= MAX_ROOM_MEMBERS) return false;
    members.add(member);
    return true;
  }

  leave(room: string, member: RoomMember): void {
    const members = this.#rooms.get(room);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.#rooms.delete(room);
  }

  /** The room's members now (a copy: a delivery may close members). */
  members(room: string): RoomMember[] {
    return [...(this.#rooms.get(room) ?? [])];
  }

  /** Rooms with at least one member. */
  get size(): number {
    return this.#rooms.size;
  }
}

/** What the endpoint is running right now, for tests that check nothing outlives its channel. */
export interface MuxCensus {
  sessions: number;
  channels: number;
  timers: number;
}

type Service = (context: ChannelContext) => ChannelRun | { refuse: MuxErrorCode; message: string };

const SERVICES: Record<string, Service> = {
  echo({ ch, session }) {
    return {
      onData: (data) => session.send({ op: "data", ch, data }),
      // The frame already starts with this channel's id: send it back as it came.
      onBinary: (payload) => session.sendBinaryFrame(payload, true),
      stop() {},
    };
  },

  clock({ ch, params, session }) {
    let tick = 0;
    const timer = session.every(params.interval as number, () => {
      tick += 1;
      // A client that is not reading misses ticks rather than queueing them without bound.
      if (session.backedUp) return;
      session.send({ op: "data", ch, data: { tick, at: Date.now() } });
    });
    return { stop: () => session.clear(timer) };
  },

  counter({ ch, params, session }) {
    const count = params.count as number;
    let sent = 0;
    const timer = session.every(params.interval as number, () => {
      // Numbers are not skipped: a counter waits for a client that is not reading.
      if (session.backedUp) return;
      sent += 1;
      session.send({ op: "data", ch, data: sent });
      if (sent === count) session.closeChannel(ch, `counted to ${count}`);
    });
    return { stop: () => session.clear(timer) };
  },

  chat({ ch, params, session }) {
    const room = params.room as string;
    const member: RoomMember = { session, ch };
    if (!session.rooms.join(room, member)) {
      return {
        refuse: MuxErrorCode.RoomFull,
        message: `room "${room}" already holds ${MAX_ROOM_MEMBERS} channels`,
      };
    }
    const tooBig = (bytes: number) =>
      session.send({
        op: "error",
        ch,
        code: MuxErrorCode.TooBig,
        message: `a chat message is at most ${MAX_CHAT_MESSAGE_BYTES} bytes, this one is ${bytes}`,
      });
    return {
      onData(data) {
        // Encoded once, copied to every member with its own channel id.
        const json = JSON.stringify(data) ?? "null";
        if (json.length > MAX_CHAT_MESSAGE_BYTES) return tooBig(json.length);
        for (const other of session.rooms.members(room)) {
          other.session.deliver(other.ch, `{"op":"data","ch":${other.ch},"data":${json}}`);
        }
      },
      onBinary(frame) {
        const payload = frame.subarray(2);
        if (payload.length > MAX_CHAT_MESSAGE_BYTES) return tooBig(payload.length);
        for (const other of session.rooms.members(room)) {
          other.session.deliver(other.ch, toBuffer(encodeBinaryFrame(other.ch, payload)));
        }
      },
      stop: () => session.rooms.leave(room, member),
    };
  },
};

const SERVICE_NAMES = MUX_SERVICES.map((service) => service.name).join(", ");

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One `/mux` connection: its channels, and the envelopes it sends. */
class MuxSession {
  readonly #channels = new Map<number, ChannelRun>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #ws: WebSocket;
  readonly #stats: EndpointStats;
  readonly #census: MuxCensus;
  readonly rooms: ChatRooms;

  constructor(
    ws: WebSocket,
    stats: EndpointStats,
    rooms: ChatRooms,
    census: MuxCensus,
    onEnd: () => void,
  ) {
    this.#ws = ws;
    this.#stats = stats;
    this.rooms = rooms;
    this.#census = census;
    census.sessions += 1;
    ws.on("message", (data, isBinary) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (isBinary) this.#onBinary(bytes);
      else this.#onText(bytes.toString("utf8"));
    });
    ws.once("close", () => {
      this.#end();
      onEnd();
    });
  }

  /** Whether so much is unsent to this client that more would only pile up. */
  get backedUp(): boolean {
    return this.#ws.bufferedAmount > HIGH_WATER_BYTES;
  }

  send(envelope: ServerEnvelope): void {
    const text = encodeServerEnvelope(envelope);
    countOut(this.#stats, Buffer.byteLength(text));
    sendWithBackpressure(this.#ws, text, false);
  }

  sendBinaryFrame(frame: Buffer, fromClient: boolean): void {
    countOut(this.#stats, frame.length);
    // An echo waits for a slow reader by pausing its reads (sendWithBackpressure).
    if (fromClient) sendWithBackpressure(this.#ws, frame, true);
    else if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(frame, { binary: true });
  }

  /**
   * A chat message to channel `ch` of this connection. Another connection's sender must not
   * fill this one's buffer without bound: a member that fell behind is closed instead.
   */
  deliver(ch: number, message: string | Buffer): void {
    if (!this.#channels.has(ch) || this.#ws.readyState !== this.#ws.OPEN) return;
    if (this.backedUp) {
      this.closeChannel(ch, "fell behind the room: this connection is not reading");
      return;
    }
    const binary = typeof message !== "string";
    countOut(this.#stats, binary ? message.length : Buffer.byteLength(message));
    this.#ws.send(message, { binary });
  }

  /** A timer that dies with this connection at the latest. */
  every(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setInterval(run, ms);
    this.#timers.add(timer);
    this.#census.timers += 1;
    return timer;
  }

  clear(timer: NodeJS.Timeout): void {
    clearInterval(timer);
    if (this.#timers.delete(timer)) this.#census.timers -= 1;
  }

  /** Stops channel `ch`'s service and tells the client why. */
  closeChannel(ch: number, reason: string): void {
    const run = this.#channels.get(ch);
    if (!run) return;
    this.#channels.delete(ch);
    this.#census.channels -= 1;
    run.stop();
    this.send({ op: "closed", ch, reason });
  }

  #error(ch: number | null, code: MuxErrorCode, message: string): void {
    this.send({ op: "error", ch, code, message });
  }

  #onText(text: string): void {
    const decoded = decodeClientEnvelope(text);
    if (!decoded.ok) {
      const { ch, code, message } = decoded.error;
      this.#error(ch, code, message);
      return;
    }
    this.#onEnvelope(decoded.value);
  }

  #onEnvelope(envelope: ClientEnvelope): void {
    const { ch } = envelope;
    switch (envelope.op) {
      case "open":
        this.#open(ch, envelope.service, envelope.params);
        return;
      case "close":
        if (!this.#channels.has(ch)) {
          this.#error(ch, MuxErrorCode.UnknownChannel, `channel ${ch} is not open`);
          return;
        }
        this.closeChannel(ch, "closed by client");
        return;
      case "data": {
        const run = this.#channels.get(ch);
        if (!run) {
          this.#error(ch, MuxErrorCode.UnknownChannel, `channel ${ch} is not open`);
        } else if (!run.onData) {
          this.#noInput(ch);
        } else {
          run.onData(envelope.data);
        }
        return;
      }
    }
  }

  #onBinary(frame: Buffer): void {
    const decoded = decodeBinaryFrame(frame);
    if (!decoded.ok) {
      const { ch, code, message } = decoded.error;
      this.#error(ch, code, message);
      return;
    }
    const { ch } = decoded.value;
    const run = this.#channels.get(ch);
    if (!run) this.#error(ch, MuxErrorCode.UnknownChannel, `channel ${ch} is not open`);
    else if (!run.onBinary) this.#noInput(ch);
    else run.onBinary(frame);
  }

  #noInput(ch: number): void {
    this.#error(ch, MuxErrorCode.NoInput, `channel ${ch}'s service only sends; it takes no data`);
  }

  #open(ch: number, serviceName: string, rawParams: Record<string, unknown>): void {
    if (this.#channels.has(ch)) {
      this.#error(ch, MuxErrorCode.DuplicateOpen, `channel ${ch} is already open`);
      return;
    }
    if (this.#channels.size >= MAX_OPEN_CHANNELS) {
      this.#error(
        ch,
        MuxErrorCode.TooManyChannels,
        `${MAX_OPEN_CHANNELS} channels are open on this connection already: close one first`,
      );
      return;
    }
    const spec = findMuxService(serviceName);
    const service = SERVICES[serviceName];
    if (!spec || !service) {
      this.#error(
        ch,
        MuxErrorCode.UnknownService,
        `no service "${serviceName.slice(0, 32)}" (there are ${SERVICE_NAMES})`,
      );
      return;
    }
    const params = checkServiceParams(spec, rawParams);
    if (!params.ok) {
      this.#error(ch, MuxErrorCode.BadParams, params.reason);
      return;
    }
    // Registered before it starts, so that a service may close its own channel.
    const placeholder: ChannelRun = { stop() {} };
    this.#channels.set(ch, placeholder);
    this.#census.channels += 1;
    const run = service({ ch, params: params.values, session: this });
    if ("refuse" in run) {
      this.#channels.delete(ch);
      this.#census.channels -= 1;
      this.#error(ch, run.refuse, run.message);
      return;
    }
    this.#channels.set(ch, run);
    this.send({ op: "opened", ch });
  }

  /** The socket closed: every channel stops, every room is left, every timer cleared. */
  #end(): void {
    for (const [ch, run] of this.#channels) {
      this.#channels.delete(ch);
      this.#census.channels -= 1;
      run.stop();
    }
    for (const timer of [...this.#timers]) this.clear(timer);
    this.#census.sessions -= 1;
  }
}

export interface MuxEndpointOptions {
  /** The chat rooms; default: rooms of this endpoint alone. */
  rooms?: ChatRooms;
  /** Called after a connection ended and its channels stopped (tests await it). */
  onSessionEnd?(census: Readonly<MuxCensus>): void;
}

/**
 * A `/mux` endpoint with its own chat rooms and census. The server's list uses `muxEndpoint`;
 * tests make their own so that their rooms and counts are theirs.
 */
export function createMuxEndpoint(options: MuxEndpointOptions = {}) {
  const rooms = options.rooms ?? new ChatRooms();
  const census: MuxCensus = { sessions: 0, channels: 0, timers: 0 };
  const definition = defineEndpoint({
    spec: MUX_SPEC,
    onConnection({ ws, stats }) {
      new MuxSession(ws, stats, rooms, census, () => options.onSessionEnd?.(census));
    },
  });
  return Object.assign(definition, { rooms, census: census as Readonly<MuxCensus> });
}

/** `/mux` as the server offers it: one set of rooms for every connection. */
export const muxEndpoint = createMuxEndpoint();
