/**
 * A streaming RFC 6455 §5.2 frame parser: bytes in, frames out, whatever the chunk
 * boundaries. Pure (Uint8Array only) so the server's tap and the page can share it.
 *
 * It reads both directions, so it neither requires nor forbids masking, and it reports the
 * RSV bits instead of rejecting them (permessage-deflate sets RSV1). Protocol errors come
 * back as a value; after one the parser stops, because the stream cannot be resynchronised.
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
  maskKey: Uint8Array | undefined;
  /** 2, plus 2 or 8 bytes of extended length, plus 4 of masking key. */
  headerLength: number;
  payloadLength: number;
  lengthEncoding: LengthEncoding;
  /** The payload, unmasked. */
  payload: Uint8Array;
  /** For close frames with at least two payload bytes. */
  closeCode?: number;
  closeReason?: string;
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

export class FrameParser {
  readonly #maxPayload: number;
  #state: State = State.Header;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #frame: Omit<ParsedFrame, "payload" | "closeCode" | "closeReason"> | undefined;
  #error: FrameParseError | undefined;

  /** @param options.maxPayload largest frame payload accepted (error 1009 above); default 2^53 - 1 */
  constructor(options: { maxPayload?: number } = {}) {
    this.#maxPayload = options.maxPayload ?? Number.MAX_SAFE_INTEGER;
  }

  /** The error that stopped the parser, if one did. */
  get error(): FrameParseError | undefined {
    return this.#error;
  }

  push(chunk: Uint8Array): PushResult {
    const frames: ParsedFrame[] = [];
    if (this.#state === State.Failed) return { frames };
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    for (;;) {
      const progressed = this.#step(frames);
      if (this.#error) {
        this.#chunks = [];
        this.#buffered = 0;
        return this.#error ? { frames, error: this.#error } : { frames };
      }
      if (!progressed) return { frames };
    }
  }

  /** Advances one state if enough bytes are buffered; false when it must wait for more. */
  #step(frames: ParsedFrame[]): boolean {
    switch (this.#state) {
      case State.Header: {
        if (this.#buffered < 2) return false;
        const [first = 0, second = 0] = this.#consume(2);
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
        const bytes = this.#consume(2);
        this.#setLength(((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0), 2);
        return this.#afterLength();
      }
      case State.Length64: {
        if (this.#buffered < 8) return false;
        const bytes = this.#consume(8);
        const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
        const high = view.getUint32(0);
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
        this.#setLength(high * 2 ** 32 + view.getUint32(4), 8);
        return this.#afterLength();
      }
      case State.MaskKey: {
        if (this.#buffered < 4) return false;
        const frame = this.#current();
        frame.maskKey = Uint8Array.from(this.#consume(4));
        frame.headerLength += 4;
        this.#state = State.Payload;
        return true;
      }
      case State.Payload: {
        const frame = this.#current();
        if (this.#buffered < frame.payloadLength) return false;
        const raw =
          frame.payloadLength === 0 ? new Uint8Array(0) : this.#consume(frame.payloadLength);
        frames.push(finishFrame(frame, frame.maskKey ? unmask(raw, frame.maskKey) : raw));
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

  /**
   * Takes `count` bytes from the front of the buffered chunks: a view when they lie in one
   * chunk, one copy when they span several. Callers must not modify the result, which may
   * share memory with the caller's chunk (another reader of the same socket sees it too).
   */
  #consume(count: number): Uint8Array {
    this.#buffered -= count;
    const first = this.#chunks[0];
    if (first && first.length === count) {
      this.#chunks.shift();
      return first;
    }
    if (first && first.length > count) {
      this.#chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = new Uint8Array(count);
    let offset = 0;
    while (offset < count) {
      const chunk = this.#chunks[0];
      if (!chunk) throw new Error("frame parser: buffered count out of step");
      const needed = count - offset;
      if (chunk.length <= needed) {
        out.set(chunk, offset);
        offset += chunk.length;
        this.#chunks.shift();
      } else {
        out.set(chunk.subarray(0, needed), offset);
        this.#chunks[0] = chunk.subarray(needed);
        offset = count;
      }
    }
    return out;
  }
}

/** XORs with the 4-byte key (RFC 6455 §5.3) into a new array: the input may be shared. */
export function unmask(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  const [k0 = 0, k1 = 0, k2 = 0, k3 = 0] = key;
  const whole = data.length & ~3;
  for (let index = 0; index < whole; index += 4) {
    out[index] = (data[index] as number) ^ k0;
    out[index + 1] = (data[index + 1] as number) ^ k1;
    out[index + 2] = (data[index + 2] as number) ^ k2;
    out[index + 3] = (data[index + 3] as number) ^ k3;
  }
  for (let index = whole; index < data.length; index += 1) {
    out[index] = (data[index] as number) ^ (key[index & 3] as number);
  }
  return out;
}

function finishFrame(
  frame: Omit<ParsedFrame, "payload" | "closeCode" | "closeReason">,
  payload: Uint8Array,
): ParsedFrame {
  const parsed: ParsedFrame = { ...frame, payload };
  if (frame.opcode === Opcode.Close && payload.length >= 2) {
    parsed.closeCode = ((payload[0] ?? 0) << 8) | (payload[1] ?? 0);
    parsed.closeReason = utf8.decode(payload.subarray(2));
  }
  return parsed;
}

export interface FrameToEncode {
  fin?: boolean;
  rsv1?: boolean;
  opcode: number;
  payload: Uint8Array;
  /** A 4-byte masking key: the frame is masked (as a client must) when given. */
  maskKey?: Uint8Array;
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
  const headerLength = 2 + extra + (maskKey ? 4 : 0);
  const out = new Uint8Array(headerLength + length);
  out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  out[1] = (maskKey ? 0x80 : 0) | (extra === 8 ? 127 : extra === 2 ? 126 : length);
  const view = new DataView(out.buffer);
  if (extra === 2) view.setUint16(2, length);
  if (extra === 8) {
    view.setUint32(2, Math.floor(length / 2 ** 32));
    view.setUint32(6, length >>> 0);
  }
  if (maskKey) {
    out.set(maskKey.subarray(0, 4), 2 + extra);
    out.set(unmask(payload, maskKey), headerLength);
  } else {
    out.set(payload, headerLength);
  }
  return out;
}
