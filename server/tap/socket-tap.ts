import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { formatHex } from "../../src/protocol/binary-text.ts";
import { deflateAgreement } from "../../src/protocol/extensions.ts";
import { FrameParser, type ParsedFrame } from "../../src/protocol/frame-parser.ts";
import {
  type Direction,
  type FrameEvent,
  type HandshakeEvent,
  PREVIEW_BYTES,
} from "../../src/protocol/inspector-events.ts";
import { capturedRequest, headerValue, parseResponseHead } from "./handshake-capture.ts";
import { MessageInflater } from "./message-inflater.ts";
import type { TapRecord } from "./tap-record.ts";

const HEAD_END = Buffer.from("\r\n\r\n");
/** A response head longer than this is not a WebSocket handshake: stop looking. */
const MAX_HEAD_BYTES = 16 * 1024;

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;

const utf8 = new TextDecoder("utf-8");
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** One direction's reading state: its frame parser and the message in progress. */
class DirectionReader {
  readonly parser: FrameParser;
  readonly inflater: MessageInflater | undefined;
  /** Opcode of the data message in progress (text or binary), 0 when none. */
  messageOpcode = 0;
  messageCompressed = false;
  messageWireBytes = 0;
  messageBytes = 0;
  compressedParts: Uint8Array[] = [];

  constructor(maxMessage: number, inflater: MessageInflater | undefined) {
    // A frame's payload is bounded by the message limit; the tap must never buffer more.
    this.parser = new FrameParser({ maxPayload: maxMessage });
    this.inflater = inflater;
  }
}

/**
 * Watches one raw TCP socket below `ws` without changing what flows: outgoing bytes by
 * wrapping `write()`, incoming bytes through a second `data` listener. It records the
 * handshake as it crossed the wire, then every frame both ways, into a tap record.
 */
export class SocketTap {
  readonly #socket: Duplex;
  readonly #record: TapRecord;
  readonly #request: IncomingMessage;
  readonly #connectionId: string;
  readonly #maxMessage: number;
  #head: Buffer[] | undefined = [];
  #headBytes = 0;
  #in: DirectionReader | undefined;
  #out: DirectionReader | undefined;
  #closeIn = false;
  #closeOut = false;
  #closeCode: number | undefined;
  #closeReason: string | undefined;

  constructor(
    socket: Duplex,
    request: IncomingMessage,
    record: TapRecord,
    connectionId: string,
    maxMessage: number,
  ) {
    this.#socket = socket;
    this.#request = request;
    this.#record = record;
    this.#connectionId = connectionId;
    this.#maxMessage = maxMessage;
    record.live += 1;

    const originalWrite = socket.write;
    const tap = this;
    socket.write = function tappedWrite(this: Duplex, ...args: unknown[]) {
      const [chunk, encoding] = args;
      try {
        tap.#onOutgoing(toBuffer(chunk, encoding));
      } catch {
        // Observing must never break the connection it observes.
      }
      return (originalWrite as (...rest: unknown[]) => boolean).apply(this, args);
    } as Duplex["write"];

    socket.once("close", () => {
      socket.write = originalWrite;
      record.live -= 1;
      record.record({
        type: "end",
        tap: record.id,
        at: Date.now(),
        ...(this.#closeCode !== undefined ? { code: this.#closeCode } : {}),
        ...(this.#closeReason !== undefined ? { reason: this.#closeReason } : {}),
        clean: this.#closeIn && this.#closeOut,
      });
    });
  }

  /**
   * Starts reading client→server bytes. Call inside `handleUpgrade`'s callback: `ws` has put
   * back the bytes read with the request head, so the tap sees every byte from the first
   * frame on. The listener goes in front of `ws`'s for two reasons: `ws` unmasks payloads in
   * place, in the very buffers both listeners get, and an echo's reply must not be recorded
   * before the message that caused it.
   */
  attachIncoming(): void {
    this.#socket.prependListener("data", (chunk: Buffer) => {
      try {
        this.#read("in", chunk);
      } catch {
        // As above: the tap fails alone.
      }
    });
  }

  #onOutgoing(chunk: Buffer): void {
    if (this.#head === undefined) {
      this.#read("out", chunk);
      return;
    }
    this.#head.push(chunk);
    this.#headBytes += chunk.length;
    const joined = Buffer.concat(this.#head);
    const end = joined.indexOf(HEAD_END);
    if (end === -1) {
      if (this.#headBytes > MAX_HEAD_BYTES) this.#head = undefined;
      return;
    }
    this.#head = undefined;
    const rest = joined.subarray(end + HEAD_END.length);
    this.#onResponseHead(joined.subarray(0, end).toString("latin1"), rest);
    if (this.#out && rest.length > 0) this.#read("out", rest);
  }

  #onResponseHead(head: string, rest: Buffer): void {
    const response = parseResponseHead(head);
    if (response.status !== 101 && rest.length > 0) {
      response.body = rest.subarray(0, 1024).toString("utf8");
    }
    const extensions = headerValue(response.headers, "Sec-WebSocket-Extensions");
    const event: HandshakeEvent = {
      type: "handshake",
      tap: this.#record.id,
      at: Date.now(),
      request: capturedRequest(this.#request),
      response,
      protocol: headerValue(response.headers, "Sec-WebSocket-Protocol"),
      extensions,
      transport: "h1",
      connection: this.#connectionId,
    };
    this.#record.record(event);
    if (response.status !== 101) return;
    const deflate = deflateAgreement(extensions);
    const inflater = (noContextTakeover: boolean) =>
      deflate ? new MessageInflater(noContextTakeover, this.#maxMessage) : undefined;
    this.#in = new DirectionReader(
      this.#maxMessage,
      inflater(deflate?.clientNoContextTakeover ?? false),
    );
    this.#out = new DirectionReader(
      this.#maxMessage,
      inflater(deflate?.serverNoContextTakeover ?? false),
    );
  }

  #read(dir: Direction, chunk: Buffer): void {
    const reader = dir === "in" ? this.#in : this.#out;
    if (!reader) return;
    const result = reader.parser.push(chunk);
    for (const frame of result.frames) this.#record.record(this.#frameEvent(dir, reader, frame));
    if (result.error) {
      this.#record.record({
        ...this.#emptyFrameEvent(dir),
        error: `${result.error.message} (close ${result.error.closeCode})`,
      });
    }
  }

  #frameEvent(dir: Direction, reader: DirectionReader, frame: ParsedFrame): FrameEvent {
    const event: FrameEvent = {
      type: "frame",
      tap: this.#record.id,
      seq: this.#record.nextSeq(),
      at: Date.now(),
      dir,
      fin: frame.fin,
      rsv1: frame.rsv1,
      rsv2: frame.rsv2,
      rsv3: frame.rsv3,
      opcode: frame.opcode,
      opname: opcodeName(frame.opcode),
      masked: frame.masked,
      ...(frame.maskKey ? { maskKey: formatHex(frame.maskKey).replaceAll(" ", "") } : {}),
      headerLength: frame.headerLength,
      payloadLength: frame.payloadLength,
      lengthEncoding: frame.lengthEncoding,
      preview: "",
      previewEncoding: "hex",
    };

    if (frame.opcode === OPCODE_CLOSE) {
      this.#onClose(dir, frame, event);
      // The first two bytes are the code, shown as such; the preview is the reason.
      event.preview = frame.closeReason ?? "";
      event.previewEncoding = "text";
      return event;
    }
    if (frame.opcode > OPCODE_CLOSE) {
      setPreview(event, frame.payload, isUtf8(frame.payload));
      return event;
    }

    if (frame.opcode === OPCODE_TEXT || frame.opcode === OPCODE_BINARY) {
      if (reader.messageOpcode !== 0)
        event.error = "a new message began before the last one ended (1002)";
      reader.messageOpcode = frame.opcode;
      reader.messageCompressed = frame.rsv1 && reader.inflater !== undefined;
      reader.messageWireBytes = 0;
      reader.messageBytes = 0;
      reader.compressedParts = [];
    } else if (reader.messageOpcode === 0) {
      event.error = "a continuation frame with no message in progress (1002)";
    }
    const isText = reader.messageOpcode === OPCODE_TEXT;
    reader.messageWireBytes += frame.payloadLength;
    if (reader.messageCompressed) {
      reader.compressedParts.push(frame.payload);
      setPreview(event, frame.payload, false);
    } else {
      reader.messageBytes += frame.payloadLength;
      setPreview(event, frame.payload, isText);
    }

    if (frame.fin && reader.messageOpcode !== 0) {
      event.compressed = reader.messageCompressed;
      if (reader.messageCompressed && reader.inflater) {
        const inflated = reader.inflater.inflate(Buffer.concat(reader.compressedParts));
        if (inflated.ok) {
          event.messageLength = inflated.data.length;
          setPreview(event, inflated.data, isText);
        } else {
          event.error = inflated.error;
        }
      } else {
        event.messageLength = reader.messageBytes;
      }
      reader.messageOpcode = 0;
      reader.compressedParts = [];
    }
    return event;
  }

  #onClose(dir: Direction, frame: ParsedFrame, event: FrameEvent): void {
    if (dir === "in") this.#closeIn = true;
    else this.#closeOut = true;
    if (frame.closeCode !== undefined) {
      event.closeCode = frame.closeCode;
      event.closeReason = frame.closeReason ?? "";
    }
    if (this.#closeCode === undefined && this.#closeReason === undefined) {
      this.#closeCode = frame.closeCode ?? 1005;
      this.#closeReason = frame.closeReason ?? "";
    }
  }

  #emptyFrameEvent(dir: Direction): FrameEvent {
    return {
      type: "frame",
      tap: this.#record.id,
      seq: this.#record.nextSeq(),
      at: Date.now(),
      dir,
      fin: false,
      rsv1: false,
      rsv2: false,
      rsv3: false,
      opcode: -1,
      opname: "error",
      masked: false,
      headerLength: 0,
      payloadLength: 0,
      lengthEncoding: "7-bit",
      preview: "",
      previewEncoding: "text",
    };
  }
}

function setPreview(event: FrameEvent, payload: Uint8Array, asText: boolean): void {
  const head = payload.subarray(0, PREVIEW_BYTES);
  if (asText) {
    event.preview = utf8.decode(trimPartialCharacter(head, payload.length > PREVIEW_BYTES));
    event.previewEncoding = "text";
  } else {
    event.preview = formatHex(head);
    event.previewEncoding = "hex";
  }
}

/** Drops a UTF-8 sequence cut in two by the preview limit, so it does not show as U+FFFD. */
function trimPartialCharacter(bytes: Uint8Array, wasCut: boolean): Uint8Array {
  if (!wasCut) return bytes;
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 4 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) {
    end -= 1;
    back += 1;
  }
  // `end - 1` is now a lead byte (or ASCII); drop it if its sequence is incomplete.
  const lead = bytes[end - 1] ?? 0;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return needed > back + 1 ? bytes.subarray(0, end - 1) : bytes;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function opcodeName(opcode: number): string {
  return OPCODE_NAMES[opcode] ?? `reserved-0x${opcode.toString(16)}`;
}

const OPCODE_NAMES: Record<number, string> = {
  0: "continuation",
  1: "text",
  2: "binary",
  8: "close",
  9: "ping",
  10: "pong",
};

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") {
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  }
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.alloc(0);
}
