/**
 * A `mux.v1` client: logical channels over a WebSocket someone else owns. It rides any
 * WebSocket-like object (the browser's `WebSocket`, a `ws` client, a connection adapter): it
 * only calls `send`, `addEventListener` and `removeEventListener`, and reads `readyState`.
 * No DOM, no React, no stores: other code may import it as a library.
 *
 *   const mux = createMuxClient(socket);
 *   const clock = mux.openChannel("clock", { interval: 1000 });
 *   clock.on("data", (tick) => console.log(tick));
 *   clock.close();
 *
 * Channel ids are the client's to choose: the lowest id not held by a channel that is still
 * open, opening or closing, so an id is reused only after the server said `closed`.
 *
 * Reconnection: when the socket closes, channels that were open (or opening) are *suspended*
 * if `reopen()` says so (default: always), else closed with the reason "connection closed".
 * Suspended channels are opened again, with the same ids, services and params, as soon as
 * the client has an open socket again: either the same object emits `open` again (an adapter
 * that reconnects by itself), or the owner hands over the new socket with `attach(socket)`
 * (a browser `WebSocket` cannot reopen: each reconnection is a new object). A reopened
 * service starts afresh (a counter counts from 1 again); `opened` is emitted again.
 */
import {
  type ClientEnvelope,
  decodeBinaryFrame,
  decodeServerEnvelope,
  encodeBinaryFrame,
  encodeClientEnvelope,
  MAX_CHANNEL_ID,
  MIN_CHANNEL_ID,
  type MuxErrorCode,
  type MuxParams,
  OPEN_FAILURES,
} from "../protocol/mux-envelope.ts";

/** `WebSocket.OPEN`, the same in browsers and in `ws`. */
const OPEN = 1;

/** What the client needs of a WebSocket. */
export interface MuxSocketLike {
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  addEventListener(type: "open" | "close", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: "open" | "close", listener: () => void): void;
  removeEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

export type MuxChannelState = "opening" | "open" | "closing" | "suspended" | "closed";

/** An `error` envelope for a channel, or a problem the client found itself. */
export interface MuxChannelError {
  code: MuxErrorCode | "not-connected";
  message: string;
}

export interface MuxChannelEvents {
  /** The server opened the channel (again, after a reconnection). */
  opened: () => void;
  /** Data from the channel's service: JSON values as parsed, binary payloads as Uint8Array. */
  data: (data: unknown) => void;
  /** The channel is over; its id is free again. */
  closed: (reason: string) => void;
  /** An error envelope about this channel; an open that failed is then `closed` too. */
  error: (error: MuxChannelError) => void;
  /** The socket closed; the channel will be reopened on the next open socket. */
  suspended: () => void;
}

export interface MuxChannel {
  readonly id: number;
  readonly service: string;
  readonly params: MuxParams;
  readonly state: MuxChannelState;
  /**
   * Sends data on the channel: a Uint8Array or ArrayBuffer as a binary frame, anything else as
   * JSON. Returns false (and emits `error` with `not-connected`) when it could not be sent.
   */
  send(data: unknown): boolean;
  /** Asks the server to close the channel; `closed` follows. */
  close(): void;
  /** Listens to an event; returns the function that stops listening. */
  on<E extends keyof MuxChannelEvents>(event: E, listener: MuxChannelEvents[E]): () => void;
}

/** A message the client could not route: not mux.v1, an error about no channel, stray data. */
export interface MuxClientError {
  code: MuxErrorCode | "stray" | "unreadable";
  message: string;
  ch: number | null;
}

export interface MuxClientOptions {
  /** Asked when the socket closes: suspend open channels to reopen them later? Default: yes. */
  reopen?: () => boolean;
}

export interface MuxClient {
  openChannel(service: string, params?: MuxParams): MuxChannel;
  /** Rides `socket` from now on (a new socket after a reconnection); suspended channels reopen once it is open. */
  attach(socket: MuxSocketLike): void;
  /** Stops listening to the socket; live channels are suspended (or closed, per `reopen`). */
  detach(): void;
  /** Channels not closed yet, by id. */
  readonly channels: ReadonlyMap<number, MuxChannel>;
  /** Errors about no channel in particular. Returns the function that stops listening. */
  onError(listener: (error: MuxClientError) => void): () => void;
  /** Closes every channel locally and lets go of the socket. */
  dispose(): void;
}

type Listeners = { [E in keyof MuxChannelEvents]: Set<MuxChannelEvents[E]> };

class Channel implements MuxChannel {
  state: MuxChannelState = "opening";
  readonly #listeners: Listeners = {
    opened: new Set(),
    data: new Set(),
    closed: new Set(),
    error: new Set(),
    suspended: new Set(),
  };

  constructor(
    readonly id: number,
    readonly service: string,
    readonly params: MuxParams,
    readonly client: Client,
  ) {}

  send(data: unknown): boolean {
    if (this.state !== "open" && this.state !== "opening") {
      this.emit("error", { code: "not-connected", message: `channel ${this.id} is ${this.state}` });
      return false;
    }
    const binary =
      data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    const sent = binary
      ? this.client.sendRaw(encodeBinaryFrame(this.id, binary))
      : this.client.sendEnvelope({ op: "data", ch: this.id, data });
    if (!sent) this.emit("error", { code: "not-connected", message: "the socket is not open" });
    return sent;
  }

  close(): void {
    if (this.state === "closed" || this.state === "closing") return;
    if (this.state !== "suspended" && this.client.sendEnvelope({ op: "close", ch: this.id })) {
      this.state = "closing";
      return;
    }
    this.client.finish(this, "closed by client");
  }

  on<E extends keyof MuxChannelEvents>(event: E, listener: MuxChannelEvents[E]): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  emit<E extends keyof MuxChannelEvents>(event: E, ...args: Parameters<MuxChannelEvents[E]>): void {
    for (const listener of [...this.#listeners[event]]) {
      (listener as (...values: Parameters<MuxChannelEvents[E]>) => void)(...args);
    }
  }
}

class Client implements MuxClient {
  readonly #channels = new Map<number, Channel>();
  readonly #errorListeners = new Set<(error: MuxClientError) => void>();
  readonly #reopen: () => boolean;
  #socket: MuxSocketLike | undefined;

  constructor(socket: MuxSocketLike | undefined, options: MuxClientOptions) {
    this.#reopen = options.reopen ?? (() => true);
    if (socket) this.attach(socket);
  }

  get channels(): ReadonlyMap<number, MuxChannel> {
    return this.#channels;
  }

  openChannel(service: string, params: MuxParams = {}): MuxChannel {
    const channel = new Channel(this.#freeId(), service, params, this);
    this.#channels.set(channel.id, channel);
    if (!this.#sendOpen(channel)) channel.state = "suspended";
    return channel;
  }

  attach(socket: MuxSocketLike): void {
    if (socket === this.#socket) return;
    this.detach();
    this.#socket = socket;
    socket.addEventListener("open", this.#onOpen);
    socket.addEventListener("close", this.#onClose);
    socket.addEventListener("message", this.#onMessage);
    if (socket.readyState === OPEN) this.#onOpen();
  }

  detach(): void {
    const socket = this.#socket;
    if (!socket) return;
    socket.removeEventListener("open", this.#onOpen);
    socket.removeEventListener("close", this.#onClose);
    socket.removeEventListener("message", this.#onMessage);
    this.#onClose();
    this.#socket = undefined;
  }

  onError(listener: (error: MuxClientError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  dispose(): void {
    for (const channel of [...this.#channels.values()]) channel.close();
    for (const channel of [...this.#channels.values()]) this.finish(channel, "client disposed");
    this.detach();
  }

  sendEnvelope(envelope: ClientEnvelope): boolean {
    return this.sendRaw(encodeClientEnvelope(envelope));
  }

  sendRaw(data: string | Uint8Array): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(data);
    return true;
  }

  /** The channel is over: its id is free, its listeners hear `closed` once. */
  finish(channel: Channel, reason: string): void {
    if (channel.state === "closed") return;
    channel.state = "closed";
    if (this.#channels.get(channel.id) === channel) this.#channels.delete(channel.id);
    channel.emit("closed", reason);
  }

  #sendOpen(channel: Channel): boolean {
    const { id, service, params } = channel;
    if (!this.sendEnvelope({ op: "open", ch: id, service, params })) return false;
    channel.state = "opening";
    return true;
  }

  #freeId(): number {
    for (let id = MIN_CHANNEL_ID; id <= MAX_CHANNEL_ID; id += 1) {
      if (!this.#channels.has(id)) return id;
    }
    throw new RangeError(`all ${MAX_CHANNEL_ID} channel ids are in use`);
  }

  #error(error: MuxClientError): void {
    for (const listener of [...this.#errorListeners]) listener(error);
  }

  readonly #onOpen = (): void => {
    for (const channel of this.#channels.values()) {
      if (channel.state === "suspended") this.#sendOpen(channel);
    }
  };

  readonly #onClose = (): void => {
    const reopen = this.#reopen();
    for (const channel of [...this.#channels.values()]) {
      if (channel.state === "closing" || (!reopen && channel.state !== "suspended")) {
        this.finish(channel, "connection closed");
      } else if (channel.state === "open" || channel.state === "opening") {
        channel.state = "suspended";
        channel.emit("suspended");
      }
    }
  };

  readonly #onMessage = (event: { data: unknown }): void => {
    const { data } = event;
    if (typeof data === "string") {
      this.#onText(data);
      return;
    }
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : undefined;
    if (!bytes) {
      // A Blob cannot be read in order with the rest: the socket must deliver ArrayBuffers.
      this.#error({
        code: "unreadable",
        message: "binary messages must arrive as ArrayBuffer (set binaryType to 'arraybuffer')",
        ch: null,
      });
      return;
    }
    const frame = decodeBinaryFrame(bytes);
    if (!frame.ok) {
      this.#error(frame.error);
      return;
    }
    this.#deliver(frame.value.ch, frame.value.payload);
  };

  #deliver(ch: number, data: unknown): void {
    const channel = this.#channels.get(ch);
    if (channel && channel.state !== "suspended") channel.emit("data", data);
    else this.#error({ code: "stray", message: `data for channel ${ch}, not open here`, ch });
  }

  #onText(text: string): void {
    const decoded = decodeServerEnvelope(text);
    if (!decoded.ok) {
      this.#error(decoded.error);
      return;
    }
    const envelope = decoded.value;
    if (envelope.op === "data") {
      this.#deliver(envelope.ch, envelope.data);
      return;
    }
    const channel = envelope.ch === null ? undefined : this.#channels.get(envelope.ch);
    if (!channel) {
      if (envelope.op === "error") this.#error(envelope);
      else
        this.#error({
          code: "stray",
          message: `${envelope.op} for channel ${envelope.ch}`,
          ch: envelope.ch,
        });
      return;
    }
    switch (envelope.op) {
      case "opened":
        if (channel.state === "opening") channel.state = "open";
        channel.emit("opened");
        return;
      case "closed":
        this.finish(channel, envelope.reason);
        return;
      case "error":
        channel.emit("error", { code: envelope.code, message: envelope.message });
        if (channel.state === "opening" && OPEN_FAILURES.has(envelope.code)) {
          this.finish(channel, envelope.message);
        }
        return;
    }
  }
}

/** A mux.v1 client riding `socket` (or none yet: `attach` one later). */
export function createMuxClient(socket?: MuxSocketLike, options: MuxClientOptions = {}): MuxClient {
  return new Client(socket, options);
}
