/**
 * A streaming RFC 6455 §5.2 frame parser: bytes in, frames out, whatever the chunk
 * boundaries. Pure (Uint8Array only) so the server's tap and the page can share it.
 *
 * It reads both directions, so it neither requires nor forbids masking, and it reports the
 * RSV bits instead of rejecting them (permessage-deflate sets RSV1). Protocol errors come
 * back as a value; after one the parser stops, because the stream cannot be resynchronised.
 *
 * `MessageAssembler` joins the parsed frames into messages; `encodeFrame` goes the other way.
 */

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

const OPCODE_NAMES: Record<number, string> = {
  0: "continuation",
  1: "text",
  2: "binary",
  8: "close",
  9: "ping",
  10: "pong",
};

export function opcodeName(opcode: number): string {
  return OPCODE_NAMES[opcode] ?? `reserved-0x${opcode.toString(16)}`;
}

export type LengthEncoding = "7-bit" | "16-bit" | "64-bit";

export interface ParsedFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** The masking key as a 32-bit unsigned number (its bytes in wire order), if masked. */
  maskKey: number | undefined;
  /** 2, plus 2 or 8 bytes of extended length, plus 4 of masking key. */
  headerLength: number;
  payloadLength: number;
  lengthEncoding: LengthEncoding;
  /**
   * The payload, unmasked — unless the parser was made with `keepMasked`, when it is the
   * bytes as on the wire and may share memory with the chunk pushed (copy what you keep).
   */
  payload: Uint8Array;
  /** For close frames with at least two payload bytes. */
  closeCode: number | undefined;
  closeReason: string | undefined;
}

export interface FrameParseError {
  /** A stable code, as `ws` names its errors. */
  code: string;
  /** The close code a receiving peer would fail the connection with. */
  closeCode: number;
  message: string;
}

export interface PushResult {
  frames: ParsedFrame[];
  /** Set once, on the chunk where the stream broke the protocol. */
  error?: FrameParseError;
}

const State = {
  Header: 0,
  Length16: 1,
  Length64: 2,
  MaskKey: 3,
  Payload: 4,
  Failed: 5,
} as const;
type State = (typeof State)[keyof typeof State];

const utf8 = new TextDecoder("utf-8");
const EMPTY = new Uint8Array(0);

export class FrameParser {
  readonly #maxPayload: number;
  readonly #keepMasked: boolean;
  #state: State = State.Header;
  /**
   * Unread input: `#chunks[#head]` from `#offset` on, then the later chunks whole. A read
   * index rather than `shift()`: shifting a long array (a large payload arriving a few bytes
   * per chunk) moves every element, which made byte-by-byte input quadratic.
   */
  #chunks: Uint8Array[] = [];
  #head = 0;
  #offset = 0;
  #buffered = 0;
  #frame: ParsedFrame | undefined;
  #error: FrameParseError | undefined;

  /**
   * @param options.maxPayload largest frame payload accepted (error 1009 above); default 2^53 - 1
   * @param options.keepMasked leave payloads masked, for a reader that unmasks only the part
   *   it needs (`unmask(payload, maskKey, limit)`); default false
   */
  constructor(options: { maxPayload?: number; keepMasked?: boolean } = {}) {
    this.#maxPayload = options.maxPayload ?? Number.MAX_SAFE_INTEGER;
    this.#keepMasked = options.keepMasked ?? false;
  }

  /** The error that stopped the parser, if one did. */
  get error(): FrameParseError | undefined {
    return this.#error;
  }

  /** Feeds a chunk and returns the frames it completed (and the error, if it broke). */
  push(chunk: Uint8Array): PushResult {
    const frames: ParsedFrame[] = [];
    const error = this.feed(chunk, (frame) => frames.push(frame));
    return error ? { frames, error } : { frames };
  }

  /**
   * Feeds a chunk, handing each completed frame to `onFrame` as soon as it is complete: the
   * allocation-free form of `push` for hot paths. Returns the error if the stream broke.
   */
  feed(chunk: Uint8Array, onFrame: (frame: ParsedFrame) => void): FrameParseError | undefined {
    if (this.#state === State.Failed) return undefined;
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    for (;;) {
      const progressed = this.#step(onFrame);
      if (this.#error) {
        this.#chunks.length = 0;
        this.#head = 0;
        this.#offset = 0;
        this.#buffered = 0;
        return this.#error;
      }
      if (!progressed) return undefined;
    }
  }

  /** Advances one state if enough bytes are buffered; false when it must wait for more. */
  #step(onFrame: (frame: ParsedFrame) => void): boolean {
    switch (this.#state) {
      case State.Header: {
        if (this.#buffered < 2) return false;
        const first = this.#byte();
        const second = this.#byte();
        const opcode = first & 0x0f;
        const fin = (first & 0x80) !== 0;
        const length7 = second & 0x7f;
        this.#frame = {
          fin,
          rsv1: (first & 0x40) !== 0,
          rsv2: (first & 0x20) !== 0,
          rsv3: (first & 0x10) !== 0,
          opcode,
          masked: (second & 0x80) !== 0,
          maskKey: undefined,
          headerLength: 2,
          payloadLength: length7,
          lengthEncoding: length7 === 126 ? "16-bit" : length7 === 127 ? "64-bit" : "7-bit",
          // Filled in when the payload has arrived; every field is set here so that all
          // frames share one object shape, which keeps the hot path fast.
          payload: EMPTY,
          closeCode: undefined,
          closeReason: undefined,
        };
        if (OPCODE_NAMES[opcode] === undefined) {
          return this.#fail(
            "WS_ERR_INVALID_OPCODE",
            1002,
            `Invalid opcode 0x${opcode.toString(16)}`,
          );
        }
        if (opcode >= 0x8) {
          if (!fin)
            return this.#fail(
              "WS_ERR_EXPECTED_FIN",
              1002,
              "Control frames must not be fragmented (FIN=0)",
            );
          if (length7 > 125) {
            return this.#fail(
              "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH",
              1002,
              "Control frame payload longer than 125 bytes",
            );
          }
        }
        if (length7 === 126) this.#state = State.Length16;
        else if (length7 === 127) this.#state = State.Length64;
        else return this.#afterLength();
        return true;
      }
      case State.Length16: {
        if (this.#buffered < 2) return false;
        this.#setLength((this.#byte() << 8) | this.#byte(), 2);
        return this.#afterLength();
      }
      case State.Length64: {
        if (this.#buffered < 8) return false;
        const high = this.#uint32();
        const low = this.#uint32();
        if (high & 0x80000000) {
          return this.#fail(
            "WS_ERR_INVALID_LENGTH",
            1002,
            "64-bit payload length with the most significant bit set",
          );
        }
        if (high > 0x1fffff) {
          return this.#fail(
            "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH",
            1009,
            "Payload length above 2^53 - 1",
          );
        }
        this.#setLength(high * 2 ** 32 + low, 8);
        return this.#afterLength();
      }
      case State.MaskKey: {
        if (this.#buffered < 4) return false;
        const frame = this.#current();
        frame.maskKey = this.#uint32();
        frame.headerLength += 4;
        this.#state = State.Payload;
        return true;
      }
      case State.Payload: {
        const frame = this.#current();
        if (this.#buffered < frame.payloadLength) return false;
        const raw = frame.payloadLength === 0 ? EMPTY : this.#consume(frame.payloadLength);
        const isClose = frame.opcode === Opcode.Close;
        const masked = frame.maskKey !== undefined;
        // A close frame is at most 125 bytes: always unmask it, to read its code and reason.
        const plain =
          masked && (!this.#keepMasked || isClose) ? unmask(raw, frame.maskKey ?? 0) : raw;
        frame.payload = masked && this.#keepMasked ? raw : plain;
        if (isClose && plain.length >= 2) {
          frame.closeCode = ((plain[0] ?? 0) << 8) | (plain[1] ?? 0);
          frame.closeReason = utf8.decode(plain.subarray(2));
        }
        onFrame(frame);
        this.#frame = undefined;
        this.#state = State.Header;
        return true;
      }
      case State.Failed:
        return false;
    }
  }

  #setLength(length: number, extraBytes: number): void {
    const frame = this.#current();
    frame.payloadLength = length;
    frame.headerLength += extraBytes;
  }

  #afterLength(): boolean {
    const frame = this.#current();
    if (frame.payloadLength > this.#maxPayload) {
      return this.#fail(
        "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
        1009,
        `Frame payload of ${frame.payloadLength} bytes is above the limit of ${this.#maxPayload}`,
      );
    }
    this.#state = frame.masked ? State.MaskKey : State.Payload;
    return true;
  }

  #current() {
    if (!this.#frame) throw new Error("frame parser: no frame in progress");
    return this.#frame;
  }

  #fail(code: string, closeCode: number, message: string): boolean {
    this.#error = { code, closeCode, message };
    this.#state = State.Failed;
    return false;
  }

  /** Reads one byte (the caller has checked that enough are buffered). */
  #byte(): number {
    const chunk = this.#chunks[this.#head] as Uint8Array;
    const value = chunk[this.#offset++] as number;
    this.#buffered -= 1;
    if (this.#offset === chunk.length) this.#nextChunk();
    return value;
  }

  #uint32(): number {
    return ((this.#byte() << 24) | (this.#byte() << 16) | (this.#byte() << 8) | this.#byte()) >>> 0;
  }

  /**
   * Moves past a fully read chunk. Done eagerly, so that the chunk at `#head` always has
   * unread bytes and a drained queue lets go of the socket's buffers at once.
   */
  #nextChunk(): void {
    this.#head += 1;
    this.#offset = 0;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#chunks.length) {
      // Compacting only once half the array is dead keeps the cost amortised O(1) per chunk.
      this.#chunks.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /**
   * Takes `count` bytes from the front: a view when they lie in one chunk, one copy when
   * they span several. Callers must not modify the result, which may share memory with a
   * pushed chunk (another reader of the same socket sees it too).
   */
  #consume(count: number): Uint8Array {
    this.#buffered -= count;
    const first = this.#chunks[this.#head] as Uint8Array;
    if (first.length - this.#offset >= count) {
      // A plain Uint8Array over the same memory: `subarray` on a Node Buffer would go through
      // its species constructor, which costs more on this, the hottest path.
      const view = new Uint8Array(first.buffer, first.byteOffset + this.#offset, count);
      this.#offset += count;
      if (this.#offset === first.length) this.#nextChunk();
      return view;
    }
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[this.#head];
      if (!chunk) throw new Error("frame parser: buffered count out of step");
      const take = Math.min(chunk.length - this.#offset, count - filled);
      out.set(chunk.subarray(this.#offset, this.#offset + take), filled);
      filled += take;
      this.#offset += take;
      if (this.#offset === chunk.length) this.#nextChunk();
    }
    return out;
  }
}

export interface AssembledMessage {
  /** The first frame's opcode: text or binary (continuations carry 0). */
  opcode: number;
  /** RSV1 on the first frame: permessage-deflate compressed the message (RFC 7692 §6). */
  compressed: boolean;
  /** Data frames the message took; control frames between them are not counted. */
  frames: number;
  /** The frames' payload lengths summed: bytes on the wire, so compressed ones if it was. */
  wireLength: number;
  /**
   * The frames' payloads joined, still compressed if `compressed`. A one-frame message's
   * payload is that frame's, not a copy, and so may share memory with a pushed chunk.
   */
  payload: Uint8Array;
}

export interface AssembleResult {
  /** Set on the frame that ends a data message. */
  message?: AssembledMessage;
  /** Set once, on the frame that broke the fragmentation rules (RFC 6455 §5.4). */
  error?: FrameParseError;
}

const NOTHING: AssembleResult = Object.freeze({});

/**
 * Joins data frames into messages (RFC 6455 §5.4). Kept apart from the parser because
 * fragmentation is a rule across frames, and the inspector wants each frame reported even
 * when the message it belongs to turns out to be broken.
 *
 * It expects unmasked payloads (a parser made without `keepMasked`). Like the parser, it
 * stops at the first error: a peer would fail the connection there.
 */
export class MessageAssembler {
  readonly #maxMessage: number;
  #opcode = 0;
  #compressed = false;
  #parts: Uint8Array[] = [];
  #length = 0;
  #error: FrameParseError | undefined;

  /** @param options.maxMessage largest message accepted (error 1009 above); default 2^53 - 1 */
  constructor(options: { maxMessage?: number } = {}) {
    this.#maxMessage = options.maxMessage ?? Number.MAX_SAFE_INTEGER;
  }

  /** The error that stopped the assembler, if one did. */
  get error(): FrameParseError | undefined {
    return this.#error;
  }

  /** Whether a fragmented message has begun and not yet ended. */
  get inProgress(): boolean {
    return this.#opcode !== 0;
  }

  /** The opcode (text or binary) of the message in progress; 0 between messages. */
  get messageOpcode(): number {
    return this.#opcode;
  }

  /** Whether the message in progress had RSV1 on its first frame. */
  get messageCompressed(): boolean {
    return this.#compressed;
  }

  /** Takes the next frame of the stream, in order; control frames pass straight through. */
  push(frame: ParsedFrame): AssembleResult {
    if (this.#error || frame.opcode >= Opcode.Close) return NOTHING;
    if (frame.opcode === Opcode.Continuation) {
      if (this.#opcode === 0) {
        return this.#fail("WS_ERR_INVALID_OPCODE", 1002, "Continuation frame with no message");
      }
    } else if (this.#opcode !== 0) {
      return this.#fail(
        "WS_ERR_INVALID_OPCODE",
        1002,
        `New ${opcodeName(frame.opcode)} frame before the fragmented message ended`,
      );
    } else {
      this.#opcode = frame.opcode;
      this.#compressed = frame.rsv1;
    }
    this.#length += frame.payloadLength;
    if (this.#length > this.#maxMessage) {
      return this.#fail(
        "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
        1009,
        `Message of at least ${this.#length} bytes is above the limit of ${this.#maxMessage}`,
      );
    }
    this.#parts.push(frame.payload);
    if (!frame.fin) return NOTHING;

    const parts = this.#parts;
    let payload: Uint8Array;
    if (parts.length === 1) {
      payload = parts[0] as Uint8Array;
    } else {
      // Joined once, at the end: appending as fragments arrive would copy quadratically.
      payload = new Uint8Array(this.#length);
      let offset = 0;
      for (const part of parts) {
        payload.set(part, offset);
        offset += part.length;
      }
    }
    const message: AssembledMessage = {
      opcode: this.#opcode,
      compressed: this.#compressed,
      frames: parts.length,
      wireLength: this.#length,
      payload,
    };
    this.#reset();
    return { message };
  }

  #reset(): void {
    this.#opcode = 0;
    this.#compressed = false;
    // Emptied in place: the message already holds what it needs from it.
    this.#parts.length = 0;
    this.#length = 0;
  }

  #fail(code: string, closeCode: number, message: string): AssembleResult {
    this.#reset();
    this.#error = { code, closeCode, message };
    return { error: this.#error };
  }
}

/**
 * XORs the first `limit` bytes with the masking key (RFC 6455 §5.3) into a new array: the
 * input may be shared with another reader.
 */
export function unmask(data: Uint8Array, key: number, limit = data.length): Uint8Array {
  const length = Math.min(limit, data.length);
  const out = new Uint8Array(length);
  const k0 = key >>> 24;
  const k1 = (key >>> 16) & 0xff;
  const k2 = (key >>> 8) & 0xff;
  const k3 = key & 0xff;
  const whole = length & ~3;
  for (let index = 0; index < whole; index += 4) {
    out[index] = (data[index] as number) ^ k0;
    out[index + 1] = (data[index + 1] as number) ^ k1;
    out[index + 2] = (data[index + 2] as number) ^ k2;
    out[index + 3] = (data[index + 3] as number) ^ k3;
  }
  const keyBytes = [k0, k1, k2, k3];
  for (let index = whole; index < length; index += 1) {
    out[index] = (data[index] as number) ^ (keyBytes[index & 3] as number);
  }
  return out;
}

/** The masking key as the hex of its four bytes, e.g. `37fa213d`. */
export function formatMaskKey(key: number): string {
  return key.toString(16).padStart(8, "0");
}

export interface FrameToEncode {
  fin?: boolean;
  rsv1?: boolean;
  opcode: number;
  payload: Uint8Array;
  /** A masking key (32-bit): the frame is masked (as a client must) when given. */
  maskKey?: number;
}

/** Encodes one frame, using the shortest length encoding. */
export function encodeFrame({
  fin = true,
  rsv1 = false,
  opcode,
  payload,
  maskKey,
}: FrameToEncode): Uint8Array {
  const length = payload.length;
  const extra = length > 0xffff ? 8 : length > 125 ? 2 : 0;
  const masked = maskKey !== undefined;
  const headerLength = 2 + extra + (masked ? 4 : 0);
  const out = new Uint8Array(headerLength + length);
  out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  out[1] = (masked ? 0x80 : 0) | (extra === 8 ? 127 : extra === 2 ? 126 : length);
  const view = new DataView(out.buffer);
  if (extra === 2) view.setUint16(2, length);
  if (extra === 8) {
    view.setUint32(2, Math.floor(length / 2 ** 32));
    view.setUint32(6, length >>> 0);
  }
  if (masked) {
    view.setUint32(2 + extra, maskKey);
    out.set(unmask(payload, maskKey), headerLength);
  } else {
    out.set(payload, headerLength);
  }
  return out;
}
