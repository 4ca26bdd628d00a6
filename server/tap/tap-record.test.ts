import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { decodeFrameBatch, frameEventFromBatch } from "../../src/protocol/frame-batch.ts";
import { encodeFrame, FrameParser } from "../../src/protocol/frame-parser.ts";
import type { FrameEvent, InspectorEvent } from "../../src/protocol/inspector-events.ts";
import { BYTES_PER_SLOT } from "./tap-event-log.ts";
import { MAX_INSPECTORS_PER_TAP, TapRecord } from "./tap-record.ts";
import { TapRegistry } from "./tap-registry.ts";

const text = new TextEncoder();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A connected pair: the server's end (what a TapRecord feeds) and a client reading it. */
async function socketPair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => wss.once("listening", resolve));
  const { port } = wss.address() as AddressInfo;
  const serverSide = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  client.binaryType = "arraybuffer";
  const server = await serverSide;
  await new Promise((resolve) => client.once("open", resolve));
  cleanups.push(() => {
    client.terminate();
    wss.close();
  });
  return { server, client };
}

/** Collects what a client receives, decoding binary batches into frame events. */
function collect(client: WebSocket, tap: string): InspectorEvent[] {
  const events: InspectorEvent[] = [];
  client.on("message", (data, isBinary) => {
    if (!isBinary) {
      events.push(JSON.parse(data.toString()) as InspectorEvent);
      return;
    }
    const decoded = decodeFrameBatch(new Uint8Array(data as ArrayBuffer));
    if (!decoded.ok) throw new Error(decoded.error);
    for (let index = 0; index < decoded.batch.count; index += 1) {
      events.push(frameEventFromBatch(decoded.batch, index, tap));
    }
  });
  return events;
}

function appendTextFrames(record: TapRecord, count: number, from = 0): void {
  const parser = new FrameParser();
  for (let n = from; n < from + count; n += 1) {
    const payload = text.encode(`message ${n}`);
    const [frame] = parser.push(encodeFrame({ opcode: 1, payload })).frames;
    if (!frame) throw new Error("no frame");
    const index = record.log.appendFrame("out", frame);
    record.log.setPreview(index, frame.payload, true);
    record.log.setMessage(index, payload.length, false);
  }
  record.changed();
}

const until = (events: InspectorEvent[], done: (events: InspectorEvent[]) => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => (done(events) ? resolve() : setImmediate(check));
    check();
  });

describe("TapRecord", () => {
  it("sends binary batches that decode to exactly the JSON events", async () => {
    const record = new TapRecord("record-test-binary", 1000);
    const json = await socketPair();
    const binary = await socketPair();
    const jsonEvents = collect(json.client, record.id);
    const binaryEvents = collect(binary.client, record.id);
    record.subscribe(json.server, "json");
    record.subscribe(binary.server, "binary");
    record.record({ type: "end", tap: record.id, at: 1, clean: true });
    appendTextFrames(record, 700);
    await until(binaryEvents, (events) => events.length === 701);
    await until(jsonEvents, (events) => events.length === 701);
    expect(binaryEvents).toEqual(jsonEvents);
    expect((binaryEvents[700] as FrameEvent).preview).toBe("message 699");
  });

  it("tells an overtaken inspector how many events and frames it lost", async () => {
    const record = new TapRecord("record-test-gap", 100);
    const { server, client } = await socketPair();
    const events = collect(client, record.id);
    record.subscribe(server, "binary");
    // All appended before the subscriber's first turn: the ring has moved past its cursor.
    appendTextFrames(record, 250);
    await until(events, (list) => list.length === 101);
    expect(events[0]).toMatchObject({ type: "gap", dropped: 150, frames: 150, kept: 100 });
    expect(events[1]).toMatchObject({ type: "frame", seq: 151 });
    expect(events[100]).toMatchObject({ type: "frame", seq: 250 });
  });

  it("refuses more than MAX_INSPECTORS_PER_TAP inspectors", async () => {
    const record = new TapRecord("record-test-cap", 100);
    for (let n = 0; n < MAX_INSPECTORS_PER_TAP; n += 1) {
      const { server } = await socketPair();
      expect(record.subscribe(server, "json")).toBe(true);
    }
    const { server } = await socketPair();
    expect(record.subscribe(server, "json")).toBe(false);
    expect(record.subscriberCount).toBe(MAX_INSPECTORS_PER_TAP);
  });
});

describe("TapRegistry memory budget", () => {
  it("wraps a growing log at what the budget allows, and frees finished taps' memory", () => {
    // Room for the first 64 slots of two taps and two growth steps of one of them.
    const registry = new TapRegistry((64 * 2 + 192 + 768) * BYTES_PER_SLOT);
    const first = registry.open("budget-test-first");
    first.live = 1;
    appendTextFrames(first, 1100);
    // 64 → 256 → 1,024 fitted; 1,024 → 4,096 did not: the log wraps at 1,024.
    expect(first.log.capacity).toBe(1024);
    expect(first.log.oldest).toBe(1100 - 1024);
    const second = registry.open("budget-test-second");
    second.live = 1;
    appendTextFrames(second, 300);
    expect(second.log.capacity).toBe(64);
    // Once the first tap is finished and unwatched, its memory goes to whoever needs it.
    first.live = 0;
    const third = registry.open("budget-test-third");
    third.live = 1;
    appendTextFrames(third, 300);
    expect(registry.get("budget-test-first")).toBeUndefined();
    expect(third.log.capacity).toBeGreaterThan(64);
  });
});
