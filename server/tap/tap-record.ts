import type { WebSocket } from "ws";
import type {
  GapEvent,
  InspectorEvent,
  InspectorFormat,
} from "../../src/protocol/inspector-events.ts";
import { TapEventLog, type TapMemoryBudget } from "./tap-event-log.ts";

/**
 * Events kept per tap for replay (the SPEC asks for at least the last 10,000). Generous, so
 * that a page that falls behind during a burst catches up without losing frames; the log's
 * memory grows with use (about 310 bytes an event), so quiet taps stay small.
 */
export const TAP_EVENT_CAPACITY = 20_000;
/** Inspectors one tap feeds at once; more are refused (close 1013, try again later). */
export const MAX_INSPECTORS_PER_TAP = 8;
/** Events per encoded chunk: one binary batch (or JSON array) carries at most this many. */
const CHUNK_EVENTS = 512;
/**
 * Chunks one inspector is sent per turn of the event loop: a replay of a whole log, or a
 * reader that fell behind, must not hold the server's thread from everyone else.
 */
const CHUNKS_PER_TURN = 4;
/** An inspector whose socket has this much unsent is not fed more until it drains. */
const SUBSCRIBER_HIGH_WATER = 4 * 1024 * 1024;
/** Encoded chunks kept for other inspectors of the same tap reading the same range. */
const SHARED_CHUNKS = 16;

type Message = string | Uint8Array;

interface Chunk {
  end: number;
  messages: Message[];
}

interface Subscriber {
  ws: WebSocket;
  format: InspectorFormat;
  /** Index (in events ever recorded) of the next event to send. */
  cursor: number;
  /** Frames among the events before `cursor` (sent or announced lost). */
  framesBefore: number;
  waitingForDrain: boolean;
  scheduled: boolean;
}

/**
 * One tap id's events: a bounded log replayed to every inspector that subscribes, then
 * followed live. Each subscriber reads at its own pace through a cursor, so a slow
 * inspector delays only itself and costs no memory beyond the log. One overtaken by the
 * ring is told how much it lost (a `gap` event). Encoded chunks are shared by subscribers
 * at the same place, so a second inspector costs sends, not encoding.
 */
export class TapRecord {
  readonly id: string;
  readonly log: TapEventLog;
  readonly #subscribers = new Set<Subscriber>();
  /** Connections currently writing into this record. */
  live = 0;
  readonly #createdAt = Date.now();
  readonly #chunks = new Map<string, Chunk>();

  constructor(id: string, capacity = TAP_EVENT_CAPACITY, budget?: TapMemoryBudget) {
    this.id = id;
    this.log = new TapEventLog(id, capacity, budget);
  }

  /** Appends a non-frame event and feeds the inspectors. */
  record(event: InspectorEvent): void {
    this.log.appendEvent(event);
    this.changed();
  }

  /** Feeds the inspectors what was appended to `log` since they last read. */
  changed(): void {
    for (const subscriber of this.#subscribers) this.#schedule(subscriber);
  }

  /**
   * Starts feeding `ws` from the oldest event held. Returns false, feeding nothing, when the
   * tap already has MAX_INSPECTORS_PER_TAP inspectors.
   */
  subscribe(ws: WebSocket, format: InspectorFormat = "json"): boolean {
    if (this.#subscribers.size >= MAX_INSPECTORS_PER_TAP) return false;
    // From index 0: when the ring has already wrapped, the first thing said is a gap.
    const subscriber: Subscriber = {
      ws,
      format,
      cursor: 0,
      framesBefore: 0,
      waitingForDrain: false,
      scheduled: false,
    };
    this.#subscribers.add(subscriber);
    ws.once("close", () => this.#subscribers.delete(subscriber));
    this.#schedule(subscriber);
    return true;
  }

  /** When the last event was recorded (for forgetting idle taps). */
  get lastActivity(): number {
    return this.log.lastAt ?? this.#createdAt;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Gives the log's memory back; the record must not be used afterwards. */
  dispose(): void {
    this.#chunks.clear();
    this.log.dispose();
  }

  /** Feeds once per turn of the event loop, whatever number of changes it saw. */
  #schedule(subscriber: Subscriber): void {
    if (subscriber.scheduled) return;
    subscriber.scheduled = true;
    setImmediate(() => {
      subscriber.scheduled = false;
      this.#send(subscriber);
    });
  }

  #send(subscriber: Subscriber): void {
    const { ws, format } = subscriber;
    if (subscriber.waitingForDrain || ws.readyState !== ws.OPEN) return;
    const { log } = this;
    for (let chunks = 0; subscriber.cursor < log.total; chunks += 1) {
      if (chunks === CHUNKS_PER_TURN) {
        this.#schedule(subscriber);
        return;
      }
      if (subscriber.cursor < log.oldest) {
        ws.send(JSON.stringify(this.#gap(subscriber)));
        subscriber.cursor = log.oldest;
        subscriber.framesBefore = log.framesBefore(log.oldest);
      }
      const chunk = this.#chunk(subscriber.cursor, format);
      let last: Message | undefined;
      for (const message of chunk.messages) {
        if (last !== undefined) ws.send(last);
        last = message;
      }
      subscriber.cursor = chunk.end;
      subscriber.framesBefore = log.framesBefore(chunk.end);
      if (last === undefined) continue;
      if (ws.bufferedAmount <= SUBSCRIBER_HIGH_WATER) {
        ws.send(last);
        continue;
      }
      // Too much unsent: this send's callback runs once the queue before it is written,
      // and feeding resumes from there.
      subscriber.waitingForDrain = true;
      ws.send(last, () => {
        subscriber.waitingForDrain = false;
        this.#send(subscriber);
      });
      return;
    }
  }

  #gap(subscriber: Subscriber): GapEvent {
    const { log } = this;
    return {
      type: "gap",
      tap: this.id,
      at: Date.now(),
      dropped: log.oldest - subscriber.cursor,
      frames: log.framesBefore(log.oldest) - subscriber.framesBefore,
      kept: log.capacity,
    };
  }

  /** The messages for the events from `start` on (at most CHUNK_EVENTS), shared when cached. */
  #chunk(start: number, format: InspectorFormat): Chunk {
    const end = Math.min(this.log.total, start + CHUNK_EVENTS);
    const key = `${format}:${start}:${end}`;
    const cached = this.#chunks.get(key);
    if (cached) return cached;
    const chunk = { end, messages: this.#encode(start, end, format) };
    this.#chunks.set(key, chunk);
    if (this.#chunks.size > SHARED_CHUNKS) {
      const [oldest] = this.#chunks.keys();
      if (oldest !== undefined) this.#chunks.delete(oldest);
    }
    return chunk;
  }

  #encode(start: number, end: number, format: InspectorFormat): Message[] {
    const { log } = this;
    const messages: Message[] = [];
    if (format === "json") {
      for (let index = start; index < end; index += 1) {
        const event = log.toEvent(index);
        if (event) messages.push(JSON.stringify(event));
      }
      return messages;
    }
    if (format === "batch") {
      const events: InspectorEvent[] = [];
      for (let index = start; index < end; index += 1) {
        const event = log.toEvent(index);
        if (event) events.push(event);
      }
      messages.push(JSON.stringify(events));
      return messages;
    }
    // Binary: runs of plain frames as batches; anything else as JSON text, in order.
    let runStart = start;
    for (let index = start; index <= end; index += 1) {
      if (index < end && log.isPlainFrame(index)) continue;
      if (index > runStart) messages.push(log.encodeFrames(runStart, index));
      if (index < end) {
        const event = log.toEvent(index);
        if (event) messages.push(JSON.stringify(event));
      }
      runStart = index + 1;
    }
    return messages;
  }
}
