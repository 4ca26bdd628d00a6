/**
 * The handshake recorder for plain HTTP exchanges on a tapped id: Engine.IO long-polling
 * requests and their responses, each recorded as an `http` event of its own (see HttpEvent in
 * inspector-events.ts). It watches the request as its consumer reads it (its `data` and `end`
 * events, without changing how it flows) and the response as its producer writes it
 * (`write`/`end`, so the body is the application's, without chunked framing), and changes
 * nothing of either. Bodies go through the tap id's labellers (labellers.ts), which are shared
 * by every exchange of the same tap, so one Engine.IO session's packets are decoded in order.
 *
 * Polling requests never record an `end` event: only a tapped TCP connection carrying a
 * WebSocket does (SocketTap).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { trimPartialCharacter } from "../../src/protocol/frame-batch.ts";
import {
  type Direction,
  HTTP_BODY_PREVIEW_BYTES,
  HTTP_MAX_LABELS,
  type HttpEvent,
} from "../../src/protocol/inspector-events.ts";
import { type DirectionLabellers, labellerFor, safeBodyLabels } from "./labellers.ts";
import type { TapRecord } from "./tap-record.ts";

const utf8 = new TextDecoder("utf-8");

/** A tap id's HTTP state: its exchange counter and the labellers its bodies go through. */
interface HttpTapState {
  exchanges: number;
  labellers: DirectionLabellers | undefined;
}

const states = new WeakMap<TapRecord, HttpTapState>();

/** A body as it passes: its first `limit` bytes kept, its length counted. */
class BodyCollector {
  readonly #limit: number;
  readonly #parts: Buffer[] = [];
  #kept = 0;
  length = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(chunk: unknown, encoding?: unknown): void {
    const bytes = toBuffer(chunk, encoding);
    if (bytes === undefined) return;
    this.length += bytes.length;
    if (this.#kept >= this.#limit) return;
    const part = bytes.subarray(0, this.#limit - this.#kept);
    // Copied: the producer may reuse its buffer once written.
    this.#parts.push(Buffer.from(part));
    this.#kept += part.length;
  }

  /** Whether the whole body is held. */
  get complete(): boolean {
    return this.#kept === this.length;
  }

  bytes(): Buffer {
    return this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts);
  }
}

/**
 * Records `request` and `response` into `record`. Call before the request is handed on, in the
 * same turn of the event loop as it arrived.
 * @param maxBody bytes of a body decoded at most (a longer one is labelled as not decoded)
 */
export function tapHttpExchange(
  request: IncomingMessage,
  response: ServerResponse,
  record: TapRecord,
  connection: string,
  maxBody: number,
): void {
  const url = request.url ?? "/";
  const method = request.method ?? "GET";
  let state = states.get(record);
  if (!state) {
    const path = new URL(url, "http://localhost").pathname;
    state = { exchanges: 0, labellers: labellerFor({ path, protocol: "" }) };
    states.set(record, state);
  }
  const { labellers } = state;
  state.exchanges += 1;
  const exchange = state.exchanges;
  record.live += 1;

  const event = (
    dir: Direction,
    body: BodyCollector,
    status?: number,
    aborted = false,
  ): HttpEvent => {
    const bytes = body.bytes();
    const preview = bytes.subarray(0, HTTP_BODY_PREVIEW_BYTES);
    const cut = bytes.length > HTTP_BODY_PREVIEW_BYTES || !body.complete;
    let labels: string[] = [];
    const labeller = labellers?.[dir];
    if (labellers && labeller?.body && body.length > 0) {
      const { layer } = labellers;
      labels = safeBodyLabels(layer, HTTP_MAX_LABELS, () =>
        body.complete
          ? (labeller.body?.(utf8.decode(bytes), { method, status }) ?? [])
          : [`⚠ ${layer}: a body of ${body.length} bytes, more than ${maxBody}: not decoded`],
      );
    }
    return {
      type: "http",
      tap: record.id,
      at: Date.now(),
      dir,
      exchange,
      connection,
      method,
      url,
      ...(status === undefined ? {} : { status }),
      body: utf8.decode(trimPartialCharacter(preview, cut)),
      bodyLength: body.length,
      labels,
      ...(aborted ? { aborted } : {}),
    };
  };

  const requestBody = new BodyCollector(maxBody);
  let requestRecorded = false;
  const recordRequest = () => {
    if (requestRecorded) return;
    requestRecorded = true;
    record.record(event("in", requestBody));
  };

  const length = request.headers["content-length"];
  const hasBody =
    request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
  if (!hasBody) {
    // A GET (a long poll) is recorded as it arrives: its answer may take many seconds.
    recordRequest();
  } else {
    const emit = request.emit;
    request.emit = function tappedEmit(this: IncomingMessage, name: string | symbol, ...args) {
      try {
        if (name === "data") requestBody.add(args[0]);
        else if (name === "end") recordRequest();
      } catch {
        // Observing must never break the exchange it observes.
      }
      return emit.call(this, name, ...args);
    } as IncomingMessage["emit"];
  }

  const responseBody = new BodyCollector(maxBody);
  const write = response.write;
  const end = response.end;
  let responded = false;
  const recordResponse = (aborted: boolean) => {
    if (responded) return;
    responded = true;
    response.write = write;
    response.end = end;
    record.live -= 1;
    // A request refused before its body was read is recorded with what arrived of it.
    recordRequest();
    const status = aborted && !response.headersSent ? undefined : response.statusCode;
    record.record(event("out", responseBody, status, aborted));
  };
  response.write = function tappedWrite(this: ServerResponse, chunk: unknown, encoding?: unknown) {
    try {
      responseBody.add(chunk, encoding);
    } catch {
      // Observing must never break the exchange it observes.
    }
    return (write as (...rest: unknown[]) => boolean).apply(
      this,
      // biome-ignore lint/complexity/noArguments: pass on exactly what the caller gave.
      arguments as unknown as unknown[],
    );
  } as ServerResponse["write"];
  response.end = function tappedEnd(this: ServerResponse, chunk?: unknown, encoding?: unknown) {
    try {
      if (typeof chunk !== "function") responseBody.add(chunk, encoding);
    } catch {
      // Observing must never break the exchange it observes.
    }
    const result = (end as (...rest: unknown[]) => ServerResponse).apply(
      this,
      // biome-ignore lint/complexity/noArguments: pass on exactly what the caller gave.
      arguments as unknown as unknown[],
    );
    // Recorded as the application answered, so it keeps its place among the tap's frames.
    try {
      recordResponse(false);
    } catch {
      // Observing must never break the exchange it observes.
    }
    return result;
  } as ServerResponse["end"];
  // The client went away before an answer: the response is recorded as far as it went.
  response.once("close", () => {
    if (!responded) recordResponse(true);
  });
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (chunk === undefined || chunk === null) return undefined;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") {
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  }
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  return undefined;
}
