import { describe, expect, it } from "vitest";
import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { FrameStore } from "../../stores/frame-store.ts";
import {
  CompressionAccumulator,
  CompressionTracker,
  ratioOf,
  SERIES_LIMIT,
} from "./compression-totals.ts";

type Frame = Pick<
  FrameEvent,
  "dir" | "opcode" | "payloadLength" | "messageLength" | "compressed" | "rsv1"
>;
const frame = (overrides: Partial<Frame>): Frame => ({
  dir: "out",
  opcode: 1,
  payloadLength: 10,
  rsv1: false,
  ...overrides,
});

const row = (seq: number, overrides: Partial<FrameEvent>) => ({
  kind: "frame" as const,
  attempt: 1,
  event: {
    type: "frame",
    tap: "t",
    seq,
    at: 0,
    dir: "out",
    fin: true,
    rsv1: true,
    rsv2: false,
    rsv3: false,
    opcode: 1,
    opname: "text",
    masked: false,
    headerLength: 2,
    payloadLength: 10,
    lengthEncoding: "7-bit",
    messageLength: 100,
    compressed: true,
    preview: "",
    previewEncoding: "text",
    ...overrides,
  } satisfies FrameEvent,
});

describe("CompressionAccumulator", () => {
  it("adds whole messages per direction, fragments' wire bytes together, control frames never", () => {
    const totals = new CompressionAccumulator();
    totals.add(
      frame({ dir: "in", payloadLength: 7, messageLength: 5, compressed: true, rsv1: true }),
    );
    totals.add(frame({ payloadLength: 30, rsv1: true }));
    totals.add(frame({ opcode: 9, payloadLength: 4 }));
    totals.add(frame({ opcode: 0, payloadLength: 20, messageLength: 500, compressed: true }));
    totals.add(frame({ payloadLength: 40, messageLength: 40, compressed: false }));
    const { in: incoming, out, outSeries } = totals.snapshot();
    expect(incoming).toEqual({
      messages: 1,
      compressed: 1,
      wireBytes: 7,
      decodedBytes: 5,
      smallestCompressed: 5,
    });
    expect(out).toMatchObject({ messages: 2, compressed: 1, wireBytes: 90, decodedBytes: 540 });
    expect(ratioOf(out)).toBeCloseTo(90 / 540);
    expect(outSeries).toEqual([
      { wire: 50, decoded: 500, compressed: true },
      { wire: 40, decoded: 40, compressed: false },
    ]);
  });

  it("keeps the same snapshot until something changes, and a bounded series", () => {
    const totals = new CompressionAccumulator();
    const before = totals.snapshot();
    expect(totals.snapshot()).toBe(before);
    expect(ratioOf(before.out)).toBeUndefined();
    for (let index = 0; index < SERIES_LIMIT * 3; index += 1) {
      totals.add(frame({ messageLength: index }));
    }
    const after = totals.snapshot();
    expect(after).not.toBe(before);
    expect(after.outSeries).toHaveLength(SERIES_LIMIT);
    expect(after.outSeries.at(-1)?.decoded).toBe(SERIES_LIMIT * 3 - 1);
  });
});

describe("CompressionTracker", () => {
  it("reads each row once as the store grows, and starts over when it is cleared", () => {
    let flush = () => {};
    const store = new FrameStore({
      schedule: (run) => {
        flush = run;
      },
    });
    store.pushRow(row(1, {}));
    const tracker = new CompressionTracker(store);
    let notices = 0;
    tracker.subscribe(() => {
      notices += 1;
    });
    expect(tracker.getSnapshot().out.messages).toBe(1);
    store.pushRow({ kind: "attempt", attempt: 2, at: 0, url: "ws://x/deflate", frames: 0 });
    store.pushRow(row(2, { payloadLength: 20 }));
    flush();
    expect(notices).toBe(1);
    expect(tracker.getSnapshot().out).toMatchObject({ messages: 2, wireBytes: 30 });
    store.clear();
    flush();
    expect(tracker.getSnapshot().out.messages).toBe(0);
  });
});
