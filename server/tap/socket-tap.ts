import type { Duplex } from "node:stream";
import { type CloseFrameFacts, isCleanEnd } from "../../src/protocol/clean-close.ts";
import { deflateAgreement } from "../../src/protocol/extensions.ts";
import {
  FrameParser,
  MessageAssembler,
  Opcode,
  type ParsedFrame,
  unmask,
} from "../../src/protocol/frame-parser.ts";
import { headerValue } from "../../src/protocol/header-list.ts";
import {
  type Direction,
  type HandshakeEvent,
  PREVIEW_BYTES,
} from "../../src/protocol/inspector-events.ts";
import { type CapturableRequest, capturedRequest, parseResponseHead } from "./handshake-capture.ts";
import { labellerFor, type MessageLabeller, safeLabel } from "./labellers.ts";
import { MessageInflater } from "./message-inflater.ts";
import type { TapRecord } from "./tap-record.ts";

const HEAD_END = Buffer.from("\r\n\r\n");
/** A response head longer than this is not a WebSocket handshake: stop looking. */
const MAX_HEAD_BYTES = 16 * 1024;

const EMPTY = new Uint8Array(0);

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

/** One direction's reading state: its frame parser, message assembler and inflater mirror. */
class DirectionReader {
  readonly parser: FrameParser;
  readonly assembler: MessageAssembler;
  readonly inflater: MessageInflater | undefined;
  /**
   * The higher-layer decoder of this direction's whole messages, when the connection speaks a
   * protocol the server decodes (labellers.ts); its messages' payloads are then kept whole.
   */
  readonly labeller: MessageLabeller | undefined;
  /** Made once per direction, not per chunk: this is the tap's hottest path. */
  readonly onFrame: (frame: ParsedFrame) => void;

  constructor(
    maxMessage: number,
    inflater: MessageInflater | undefined,
    labeller: MessageLabeller | undefined,
    onFrame: (reader: DirectionReader, frame: ParsedFrame) => void,
  ) {
    this.labeller = labeller;
    this.onFrame = (frame) => onFrame(this, frame);
    // A frame's payload is bounded by the message limit; the tap must never buffer more.
    // Payloads stay masked: the tap unmasks only the preview, or a compressed message whole.
    this.parser = new FrameParser({ maxPayload: maxMessage, keepMasked: true });
    this.assembler = new MessageAssembler({ maxMessage });
    this.inflater = inflater;
  }
}

/**
 * Watches one raw byte stream below `ws` without changing what flows: outgoing bytes by
 * wrapping `write()`, incoming bytes through a `data` listener ahead of `ws`'s. It records the
 * handshake as it crossed the wire, then every frame both ways, into a tap record.
 *
 * Over HTTP/1.1 the stream is the TCP socket and the handshake's answer is read from its
 * writes. Over HTTP/2 (`transport: "h2"`) it is the CONNECT stream, whose answer travels as
 * HEADERS the stream's writes never see: the transport hands it over (`recordH2Response`).
 */
export class SocketTap {
  readonly #socket: Duplex;
  readonly #record: TapRecord;
  readonly #request: CapturableRequest;
  readonly #connectionId: string;
  readonly #maxMessage: number;
  readonly #h2StreamId: number | undefined;
  /** The HTTP/1.1 response head being collected from the writes; undefined once read (or for h2). */
  #head: Buffer[] | undefined;
  #headBytes = 0;
  #in: DirectionReader | undefined;
  #out: DirectionReader | undefined;
  #closeIn = false;
  #closeOut = false;
  /** The first close frame seen, either way: it says whether the end was clean. */
  #firstClose: CloseFrameFacts | undefined;
  /** The decoder labelling this connection's messages (`FrameEvent.layer`), if any. */
  #layer = "";
  #closeCode: number | undefined;
  #closeReason: string | undefined;

  /** @param h2StreamId for an HTTP/2 CONNECT stream: its id; the answer then comes as HEADERS */
  constructor(
    socket: Duplex,
    request: CapturableRequest,
    record: TapRecord,
    connectionId: string,
    maxMessage: number,
    h2StreamId?: number,
  ) {
    this.#socket = socket;
    this.#h2StreamId = h2StreamId;
    this.#head = h2StreamId === undefined ? [] : undefined;
    this.#request = request;
    this.#record = record;
    this.#connectionId = connectionId;
    this.#maxMessage = maxMessage;
    record.live += 1;

    const originalWrite = socket.write;
    const tap = this;
    socket.write = function tappedWrite(this: Duplex, chunk: unknown, encoding?: unknown) {
      try {
        tap.#onOutgoing(toBuffer(chunk, encoding));
      } catch {
        // Observing must never break the connection it observes.
      }
      return (originalWrite as (...rest: unknown[]) => boolean).apply(
        this,
        // biome-ignore lint/complexity/noArguments: pass on exactly what the caller gave.
        arguments as unknown as unknown[],
      );
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
        clean: isCleanEnd({
          bothClosed: this.#closeIn && this.#closeOut,
          first: this.#firstClose,
        }),
      });
    });
  }

  /**
   * Starts reading client→server bytes. Call inside `handleUpgrade`'s callback: `ws` has put
   * back the bytes read with the request head, so the tap sees every byte from the first
   * frame on. The listener goes in front of `ws`'s, for two reasons: `ws` unmasks payloads in
   * place, in the very buffers both listeners get, and an echo's reply must not be recorded
   * before the message that caused it. (Wrapping `ws`'s listener to parse after it, from a
   * copy, measured no faster: `npm run bench`, 14 interleaved rounds, 0.90 against 0.92.)
   */
  attachIncoming(): void {
    this.#socket.prependListener("data", (chunk: Buffer) => this.#readSafely("in", chunk));
  }

  #readSafely(dir: Direction, chunk: Buffer): void {
    try {
      this.#read(dir, chunk);
    } catch {
      // Observing must never break the connection it observes.
    }
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
    this.#onResponse(response, 101);
  }

  /**
   * The answer to an HTTP/2 extended CONNECT, as sent in HEADERS (`:status` among its headers;
   * 200 opens the WebSocket), with a refusal's body. Frames are read from then on.
   */
  recordH2Response(response: HandshakeEvent["response"]): void {
    if (this.#h2StreamId === undefined) return;
    try {
      this.#onResponse(response, 200);
    } catch {
      // Observing must never break the connection it observes.
    }
  }

  #onResponse(response: HandshakeEvent["response"], openStatus: number): void {
    const extensions = headerValue(response.headers, "Sec-WebSocket-Extensions");
    const event: HandshakeEvent = {
      type: "handshake",
      tap: this.#record.id,
      at: Date.now(),
      request: capturedRequest(this.#request),
      response,
      protocol: headerValue(response.headers, "Sec-WebSocket-Protocol"),
      extensions,
      transport: this.#h2StreamId === undefined ? "h1" : "h2",
      connection: this.#connectionId,
      ...(this.#h2StreamId === undefined ? {} : { stream: this.#h2StreamId }),
    };
    this.#record.record(event);
    if (response.status !== openStatus) return;
    const deflate = deflateAgreement(extensions);
    const inflater = (noContextTakeover: boolean) =>
      deflate ? new MessageInflater(noContextTakeover, this.#maxMessage) : undefined;
    // The decoder hook: chosen by route and negotiated subprotocol, one labeller per direction.
    const labellers = labellerFor({
      path: new URL(this.#request.url ?? "/", "http://localhost").pathname,
      protocol: event.protocol,
    });
    this.#layer = labellers?.layer ?? "";
    this.#in = new DirectionReader(
      this.#maxMessage,
      inflater(deflate?.clientNoContextTakeover ?? false),
      labellers?.in,
      (reader, frame) => this.#recordFrame("in", reader, frame),
    );
    this.#out = new DirectionReader(
      this.#maxMessage,
      inflater(deflate?.serverNoContextTakeover ?? false),
      labellers?.out,
      (reader, frame) => this.#recordFrame("out", reader, frame),
    );
  }

  #read(dir: Direction, chunk: Buffer): void {
    const reader = dir === "in" ? this.#in : this.#out;
    if (!reader) return;
    const before = this.#record.log.total;
    const error = reader.parser.feed(chunk, reader.onFrame);
    if (error) {
      this.#record.log.appendError(dir, `${error.message} (close ${error.closeCode})`);
      this.#record.changed();
      return;
    }
    if (this.#record.log.total !== before) this.#record.changed();
  }

  /**
   * Writes one frame into the log. Payloads are as on the wire (the parser keeps them
   * masked): only the preview is unmasked, straight into the log's slot, except for a
   * compressed message, which is kept whole until it can be inflated.
   */
  #recordFrame(dir: Direction, reader: DirectionReader, frame: ParsedFrame): void {
    const log = this.#record.log;
    const index = log.appendFrame(dir, frame);
    const wire = frame.payload;
    const key = frame.maskKey;

    if (frame.opcode === Opcode.Close) {
      // At most 125 bytes. The whole payload, code bytes and reason, is the preview, as bytes:
      // the hex view shows the code as it crossed; closeCode and closeReason give it as text.
      const payload = key === undefined ? wire : unmask(wire, key);
      this.#onClose(dir, frame, payload);
      log.setPreview(index, payload, false);
      return;
    }
    if (frame.opcode > Opcode.Close) {
      const payload = key === undefined ? wire : unmask(wire, key, PREVIEW_BYTES);
      log.setPreview(index, payload, isUtf8(payload));
      return;
    }

    const { assembler, inflater, labeller } = reader;
    const starts = frame.opcode === Opcode.Text || frame.opcode === Opcode.Binary;
    const opcode = starts ? frame.opcode : assembler.messageOpcode;
    const compressed =
      inflater !== undefined && (starts ? frame.rsv1 : assembler.messageCompressed);
    const isText = opcode === Opcode.Text;
    if (compressed) {
      // The whole compressed payload is needed to inflate the message: unmasked, or copied
      // (socket memory moves on). The frame's own preview shows the compressed bytes.
      frame.payload = key === undefined ? wire.slice() : unmask(wire, key);
      log.setPreview(index, frame.payload, false);
    } else if (labeller) {
      // The labeller reads whole messages: keep this frame's payload, unmasked or copied.
      frame.payload = key === undefined ? wire.slice() : unmask(wire, key);
      log.setPreview(index, frame.payload, isText);
    } else {
      // Only the length counts towards the message: the assembler keeps no bytes.
      log.setPreview(index, wire, isText, key);
      frame.payload = EMPTY;
    }

    let messageLength: number;
    let messagePayload: Uint8Array;
    if (starts && frame.fin && !assembler.inProgress && assembler.error === undefined) {
      // A whole message in one frame, the common case, needs no assembling.
      messageLength = frame.payloadLength;
      messagePayload = frame.payload;
    } else {
      const { message, error } = assembler.push(frame);
      if (error) log.setError(index, `${error.message} (close ${error.closeCode})`);
      if (!message) return;
      messageLength = message.wireLength;
      messagePayload = message.payload;
    }
    if (compressed && inflater) {
      const inflated = inflater.inflate(messagePayload);
      if (inflated.ok) {
        log.setMessage(index, inflated.data.length, true);
        log.setPreview(index, inflated.data, isText);
        if (labeller) this.#label(index, labeller, isText, inflated.data);
      } else {
        log.setError(index, inflated.error);
        if (labeller)
          log.setLabel(index, `⚠ ${this.#layer}: not decoded (${inflated.error})`, this.#layer);
      }
    } else {
      log.setMessage(index, messageLength, false);
      if (labeller) this.#label(index, labeller, isText, messagePayload);
    }
  }

  /** Labels the message that ends with frame `index` by its higher layer. */
  #label(index: number, labeller: MessageLabeller, isText: boolean, payload: Uint8Array): void {
    const layer = this.#layer;
    const data = isText ? lenientUtf8.decode(payload) : payload;
    this.#record.log.setLabel(
      index,
      safeLabel(layer, () => labeller.message(data)),
      layer,
    );
  }

  #onClose(dir: Direction, frame: ParsedFrame, payload: Uint8Array): void {
    if (dir === "in") this.#closeIn = true;
    else this.#closeOut = true;
    if (this.#firstClose === undefined) {
      this.#firstClose = {
        code: frame.closeCode,
        payloadLength: frame.payloadLength,
        reasonIsUtf8: isUtf8(payload.subarray(2)),
      };
      this.#closeCode = frame.closeCode ?? 1005;
      this.#closeReason = frame.closeReason ?? "";
    }
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") {
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  }
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.alloc(0);
}
