import { describe, expect, it } from "vitest";
import { decodeFrameBatch, encodeFrameBatch, FrameFlag } from "../protocol/frame-batch.ts";
import type { FrameEvent, HttpEvent } from "../protocol/inspector-events.ts";
import { type FrameLogRow, FrameStore } from "./frame-store.ts";

const text = new TextEncoder();

/** A decoded batch of `n` text frames to the client, seqs from `firstSeq`. */
function batchOf(n: number, firstSeq: number) {
  const previews = Array.from({ length: n }, (_, i) => text.encode(`m${firstSeq + i}`));
  const encoded = encodeFrameBatch(
    {
      at: new Float64Array(n),
      payloadLength: Float64Array.from(previews, (p) => p.length),
      messageLength: Float64Array.from(previews, (p) => p.length),
      seq: Float64Array.from({ length: n }, (_, i) => firstSeq + i),
      maskKey: new Uint32Array(n),
      closeCode: new Int32Array(n).fill(-1),
      previewLength: Uint16Array.from(previews, (p) => p.length),
      flags: new Uint8Array(n).fill(FrameFlag.Fin | FrameFlag.Out | FrameFlag.PreviewText),
      previewCut: new Uint8Array(n),
      opcode: new Uint8Array(n).fill(1),
      headerLength: new Uint8Array(n).fill(2),
      lengthEncoding: new Uint8Array(n),
    },
    [{ start: 0, end: n }],
    (row) => previews[row] as Uint8Array,
  );
  const decoded = decodeFrameBatch(encoded);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.batch;
}

const never = () => {};

describe("FrameStore", () => {
  it("builds rows from batches on demand, in order across chunks and JSON rows", () => {
    const store = new FrameStore({ schedule: never });
    store.pushRow({ kind: "attempt", attempt: 1, at: 0, url: "ws://x/echo", frames: 0 });
    store.pushBatch(batchOf(3, 1), 1, "tap");
    store.pushRow({ kind: "frame", attempt: 1, event: { seq: 4, preview: "json" } as FrameEvent });
    store.pushBatch(batchOf(2, 5), 1, "tap");
    expect(store.end).toBe(7);
    const previews = [];
    for (let index = store.first; index < store.end; index += 1) {
      const row = store.row(index);
      previews.push(row?.kind === "frame" ? row.event.preview : row?.kind);
    }
    expect(previews).toEqual(["attempt", "m1", "m2", "m3", "json", "m5", "m6"]);
    expect(store.currentAttempt?.frames).toBe(6);
    expect(store.counts()).toMatchObject({ arrived: 6, evicted: 0, lost: 0 });
  });

  it("evicts whole chunks when full and counts the frames that went", () => {
    const store = new FrameStore({ capacity: 10, schedule: never });
    for (let n = 0; n < 5; n += 1) store.pushBatch(batchOf(4, 1 + 4 * n), 1, "tap");
    // 20 frames in chunks of 4; at most 10 held: the three oldest chunks went.
    expect(store.end - store.first).toBe(8);
    expect(store.counts()).toMatchObject({ arrived: 20, evicted: 12 });
    const oldest = store.row(store.first);
    expect(oldest?.kind === "frame" && oldest.event.seq).toBe(13);
    expect(store.row(store.first - 1)).toBeUndefined();
  });

  it("counts announced gaps as frames that never arrived", () => {
    const store = new FrameStore({ schedule: never });
    store.pushBatch(batchOf(2, 1), 1, "tap");
    store.pushRow({ kind: "gap", attempt: 1, at: 0, frames: 500, kept: 20_000 });
    store.pushBatch(batchOf(2, 503), 1, "tap");
    expect(store.counts()).toMatchObject({ arrived: 504, lost: 500, serverKept: 20_000 });
  });

  it("starts again from index 0 after a clear", () => {
    const store = new FrameStore({ schedule: never });
    store.pushBatch(batchOf(3, 1), 1, "tap");
    const generation = store.generation;
    store.clear();
    expect([store.first, store.end, store.generation]).toEqual([0, 0, generation + 1]);
    expect(store.counts().arrived).toBe(0);
  });

  it("keeps HTTP exchanges as rows of their own, counted apart from frames", () => {
    const store = new FrameStore({ schedule: never });
    store.pushRow({ kind: "attempt", attempt: 1, at: 0, url: "http://x/socket.io/", frames: 0 });
    const http = (dir: "in" | "out", exchange: number): HttpEvent => ({
      type: "http",
      tap: "t",
      at: 0,
      dir,
      exchange,
      connection: "c1",
      method: "GET",
      url: "/socket.io/?EIO=4&transport=polling",
      ...(dir === "out" ? { status: 200 } : {}),
      body: dir === "out" ? '0{"sid":"abc"}' : "",
      bodyLength: 0,
      labels: dir === "out" ? ["open · sid abc"] : [],
    });
    store.pushRow({ kind: "http", attempt: 1, event: http("in", 1) });
    store.pushRow({ kind: "http", attempt: 1, event: http("out", 1) });
    store.pushRow({ kind: "http", attempt: 1, event: http("in", 2) });
    store.pushBatch(batchOf(2, 1), 1, "tap");
    expect(store.end).toBe(6);
    expect(store.row(2)).toMatchObject({ kind: "http", event: { labels: ["open · sid abc"] } });
    expect(store.counts().arrived).toBe(2);
    expect(store.httpExchanges).toBe(2);
    expect(store.currentAttempt).toMatchObject({ frames: 2, exchanges: 2 });
    expect(store.isCounted(store.row(1) as FrameLogRow)).toBe(false);
    store.clear();
    expect(store.httpExchanges).toBe(0);
  });
});
