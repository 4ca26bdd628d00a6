import type { WebSocket } from "ws";
import type {
  GapEvent,
  InspectorEvent,
  InspectorFormat,
} from "../../src/protocol/inspector-events.ts";
import {
  type ReplayJob,
  type ReplayScheduler,
  type StepCost,
  sharedReplayScheduler,
} from "./replay-scheduler.ts";
import { TapEventLog, type TapMemoryBudget } from "./tap-event-log.ts";

/**
 * Events kept per tap for replay (the SPEC asks for at least the last 10,000). Generous, so
 * that a page that falls behind during a burst catches up without losing frames; the log's
 * memory grows with use (about 310 bytes an event), so quiet taps stay small.
 */
export const TAP_EVENT_CAPACITY = 20_000;
/** Inspectors one tap feeds at once; more are refused (close 1013, try again later). */
export const MAX_INSPECTORS_PER_TAP = 8;
/**
 * Events per encoded chunk: one binary batch (or JSON array) carries at most this many. A
 * chunk is what an inspector is sent at a time: how much one turn of the event loop sends to
 * all inspectors together is the replay scheduler's budget.
 */
const CHUNK_EVENTS = 512;
/** An inspector whose socket has this much unsent is not fed more until it drains. */
const SUBSCRIBER_HIGH_WATER = 4 * 1024 * 1024;
/** Encoded chunks kept for other inspectors of the same tap reading the same range. */
const SHARED_CHUNKS = 16;

type Message = string | Uint8Array;

interface Chunk {
  end: number;
  messages: Message[];
}

/** Told of every message sent to an inspector, e.g. to count it in `/api/stats`. */
export type SentListener = (bytes: number) => void;

interface Subscriber extends ReplayJob {
  ws: WebSocket;
  format: InspectorFormat;
  /** Index (in events ever recorded) of the next event to send. */
  cursor: number;
  /** Frames among the events before `cursor` (sent or announced lost). */
  framesBefore: number;
  waitingForDrain: boolean;
  onSent: SentListener | undefined;
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
  readonly #scheduler: ReplayScheduler;

  constructor(
    id: string,
    capacity = TAP_EVENT_CAPACITY,
    budget?: TapMemoryBudget,
    scheduler = sharedReplayScheduler,
  ) {
    this.id = id;
    this.log = new TapEventLog(id, capacity, budget);
    this.#scheduler = scheduler;
  }

  /** Appends a non-frame event and feeds the inspectors. */
  record(event: InspectorEvent): void {
    this.log.appendEvent(event);
    this.changed();
  }

  /** Feeds the inspectors what was appended to `log` since they last read. */
  changed(): void {
    for (const subscriber of this.#subscribers) this.#scheduler.wake(subscriber);
  }

  /**
   * Starts feeding `ws` from the oldest event held, telling `onSent` of every message. Returns
   * false, feeding nothing, when the tap already has MAX_INSPECTORS_PER_TAP inspectors.
   */
  subscribe(ws: WebSocket, format: InspectorFormat = "json", onSent?: SentListener): boolean {
    if (this.#subscribers.size >= MAX_INSPECTORS_PER_TAP) return false;
    // From index 0: when the ring has already wrapped, the first thing said is a gap.
    const subscriber: Subscriber = {
      ws,
      format,
      cursor: 0,
      framesBefore: 0,
      waitingForDrain: false,
      onSent,
      step: () => this.#step(subscriber),
    };
    this.#subscribers.add(subscriber);
    ws.once("close", () => {
      this.#subscribers.delete(subscriber);
      this.#scheduler.cancel(subscriber);
    });
    this.#scheduler.wake(subscriber);
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

  /**
   * Sends `subscriber` the next chunk (after a gap event when the ring has moved past it), as
   * the scheduler's turn allows. Undefined when there is nothing it can be sent now.
   */
  #step(subscriber: Subscriber): StepCost | undefined {
    const { ws, format, onSent } = subscriber;
    const { log } = this;
    if (subscriber.waitingForDrain || ws.readyState !== ws.OPEN) return undefined;
    if (subscriber.cursor >= log.total) return undefined;
    const cost: StepCost = { events: 0, bytes: 0 };
    const send = (message: Message, callback?: () => void) => {
      const bytes = typeof message === "string" ? Buffer.byteLength(message) : message.byteLength;
      ws.send(message, callback);
      cost.bytes += bytes;
      onSent?.(bytes);
    };
    if (subscriber.cursor < log.oldest) {
      send(JSON.stringify(this.#gap(subscriber)));
      cost.events += 1;
      subscriber.cursor = log.oldest;
      subscriber.framesBefore = log.framesBefore(log.oldest);
    }
    const start = subscriber.cursor;
    const chunk = this.#chunk(start, format);
    const last = chunk.messages.length - 1;
    subscriber.cursor = chunk.end;
    subscriber.framesBefore = log.framesBefore(chunk.end);
    cost.events += chunk.end - start;
    chunk.messages.forEach((message, index) => {
      if (index < last || ws.bufferedAmount <= SUBSCRIBER_HIGH_WATER) {
        send(message);
        return;
      }
      // Too much unsent: this send's callback runs once the queue before it is written, and
      // feeding resumes from there.
      subscriber.waitingForDrain = true;
      send(message, () => {
        subscriber.waitingForDrain = false;
        this.#scheduler.wake(subscriber);
      });
    });
    return cost;
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
