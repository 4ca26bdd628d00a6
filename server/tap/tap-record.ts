import type { WebSocket } from "ws";
import type { InspectorEvent } from "../../src/protocol/inspector-events.ts";
import { TapEventLog } from "./tap-event-log.ts";

/**
 * Events kept per tap for replay (the SPEC asks for at least the last 10,000). Generous, so
 * that a page that falls behind during a burst catches up without losing frames; the log's
 * memory grows with use (about 300 bytes an event), so quiet taps stay small.
 */
export const TAP_EVENT_CAPACITY = 20_000;
/** Events per message for an inspector that asked for batches. */
const BATCH_EVENTS = 100;
/** An inspector whose socket has this much unsent is not fed more until it drains. */
const SUBSCRIBER_HIGH_WATER = 4 * 1024 * 1024;

interface Subscriber {
  ws: WebSocket;
  /** Index (in events ever recorded) of the next event to send. */
  cursor: number;
  waitingForDrain: boolean;
  /** Send JSON arrays of events, gathered over one turn of the event loop. */
  batch: boolean;
  scheduled: boolean;
}

/**
 * One tap id's events: a bounded log replayed to every inspector that subscribes, then
 * followed live. Each subscriber reads at its own pace through a cursor, so a slow
 * inspector delays only itself and costs no memory beyond the log.
 */
export class TapRecord {
  readonly id: string;
  readonly log: TapEventLog;
  readonly #subscribers = new Set<Subscriber>();
  /** Connections currently writing into this record. */
  live = 0;
  readonly #createdAt = Date.now();

  constructor(id: string, capacity = TAP_EVENT_CAPACITY) {
    this.id = id;
    this.log = new TapEventLog(id, capacity);
  }

  /** Appends a non-frame event and feeds the inspectors. */
  record(event: InspectorEvent): void {
    this.log.appendEvent(event);
    this.changed();
  }

  /** Feeds the inspectors what was appended to `log` since they last read. */
  changed(): void {
    for (const subscriber of this.#subscribers) this.#pump(subscriber);
  }

  /**
   * @param options.batch send JSON arrays of events instead of one event per message: a
   *   browser pays a fixed cost per WebSocket message, so at thousands of frames a second
   *   batches are what lets a page keep up
   */
  subscribe(ws: WebSocket, options: { batch?: boolean } = {}): void {
    const subscriber: Subscriber = {
      ws,
      cursor: this.log.oldest,
      waitingForDrain: false,
      batch: options.batch ?? false,
      scheduled: false,
    };
    this.#subscribers.add(subscriber);
    ws.once("close", () => this.#subscribers.delete(subscriber));
    this.#pump(subscriber);
  }

  /** When the last event was recorded (for forgetting idle taps). */
  get lastActivity(): number {
    return this.log.lastAt ?? this.#createdAt;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  #pump(subscriber: Subscriber): void {
    if (!subscriber.batch) {
      this.#send(subscriber);
      return;
    }
    if (subscriber.scheduled) return;
    subscriber.scheduled = true;
    setImmediate(() => {
      subscriber.scheduled = false;
      this.#send(subscriber);
    });
  }

  #send(subscriber: Subscriber): void {
    const { ws } = subscriber;
    if (subscriber.waitingForDrain || ws.readyState !== ws.OPEN) return;
    // Overtaken by the ring: skip to the oldest event still held.
    if (subscriber.cursor < this.log.oldest) subscriber.cursor = this.log.oldest;
    while (subscriber.cursor < this.log.total) {
      const json = subscriber.batch ? this.#nextBatch(subscriber) : this.#nextEvent(subscriber);
      if (json === undefined) continue;
      if (ws.bufferedAmount <= SUBSCRIBER_HIGH_WATER) {
        ws.send(json);
        continue;
      }
      // Too much unsent: this send's callback runs once the queue before it is written,
      // and feeding resumes from there.
      subscriber.waitingForDrain = true;
      ws.send(json, () => {
        subscriber.waitingForDrain = false;
        this.#send(subscriber);
      });
      return;
    }
  }

  #nextEvent(subscriber: Subscriber): string | undefined {
    const event = this.log.toEvent(subscriber.cursor);
    subscriber.cursor += 1;
    return event ? JSON.stringify(event) : undefined;
  }

  #nextBatch(subscriber: Subscriber): string {
    const end = Math.min(this.log.total, subscriber.cursor + BATCH_EVENTS);
    const events: InspectorEvent[] = [];
    for (; subscriber.cursor < end; subscriber.cursor += 1) {
      const event = this.log.toEvent(subscriber.cursor);
      if (event) events.push(event);
    }
    return JSON.stringify(events);
  }
}
