import type { WebSocket } from "ws";
import type { InspectorEvent } from "../../src/protocol/inspector-events.ts";
import { RingBuffer } from "../../src/shared/ring-buffer.ts";

/** Events kept per tap for replay: the SPEC asks for at least the last 10,000. */
export const TAP_EVENT_CAPACITY = 20_000;
/** An inspector whose socket has this much unsent is not fed more until it drains. */
const SUBSCRIBER_HIGH_WATER = 4 * 1024 * 1024;

interface StoredEvent {
  event: InspectorEvent;
  /** Serialised once, on first send, and shared by every subscriber and replay. */
  json?: string;
}

interface Subscriber {
  ws: WebSocket;
  /** Index (in events ever recorded) of the next event to send. */
  cursor: number;
  waitingForDrain: boolean;
}

/**
 * One tapped connection's events: a bounded ring buffer replayed to every inspector that
 * subscribes, then followed live. Each subscriber reads at its own pace through a cursor, so
 * a slow inspector delays only itself and costs no memory beyond the ring.
 */
export class TapRecord {
  readonly id: string;
  readonly #events = new RingBuffer<StoredEvent>(TAP_EVENT_CAPACITY);
  readonly #subscribers = new Set<Subscriber>();
  #seq = 0;
  /** Connections currently writing into this record. */
  live = 0;
  lastActivity = Date.now();

  constructor(id: string) {
    this.id = id;
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  record(event: InspectorEvent): void {
    this.#events.push({ event });
    this.lastActivity = Date.now();
    for (const subscriber of this.#subscribers) this.#pump(subscriber);
  }

  subscribe(ws: WebSocket): void {
    const subscriber: Subscriber = {
      ws,
      cursor: this.#events.totalPushed - this.#events.length,
      waitingForDrain: false,
    };
    this.#subscribers.add(subscriber);
    ws.once("close", () => this.#subscribers.delete(subscriber));
    this.#pump(subscriber);
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  #pump(subscriber: Subscriber): void {
    const { ws } = subscriber;
    if (subscriber.waitingForDrain || ws.readyState !== ws.OPEN) return;
    const oldest = this.#events.totalPushed - this.#events.length;
    // Overtaken by the ring: skip to the oldest event still held.
    if (subscriber.cursor < oldest) subscriber.cursor = oldest;
    while (subscriber.cursor < this.#events.totalPushed) {
      const stored = this.#events.at(subscriber.cursor - oldest);
      subscriber.cursor += 1;
      if (!stored) continue;
      stored.json ??= JSON.stringify(stored.event);
      if (ws.bufferedAmount <= SUBSCRIBER_HIGH_WATER) {
        ws.send(stored.json);
        continue;
      }
      // Too much unsent: this send's callback runs once the queue before it is written,
      // and feeding resumes from there.
      subscriber.waitingForDrain = true;
      ws.send(stored.json, () => {
        subscriber.waitingForDrain = false;
        this.#pump(subscriber);
      });
      return;
    }
  }
}
