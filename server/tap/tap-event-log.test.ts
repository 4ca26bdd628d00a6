import { describe, expect, it } from "vitest";
import { encodeFrame, FrameParser, type ParsedFrame } from "../../src/protocol/frame-parser.ts";
import { TapEventLog } from "./tap-event-log.ts";

const text = new TextEncoder();

function frameOf(bytes: Uint8Array, keepMasked = true): ParsedFrame {
  const [frame] = new FrameParser({ keepMasked }).push(bytes).frames;
  if (!frame) throw new Error("no frame");
  return frame;
}

describe("TapEventLog", () => {
  it("keeps a frame's facts and unmasks its preview into the slot", () => {
    const log = new TapEventLog("log-test-1", 10);
    const frame = frameOf(
      encodeFrame({ opcode: 1, payload: text.encode("Hello"), maskKey: 0x37fa213d }),
    );
    const index = log.appendFrame("in", frame);
    log.setPreview(index, frame.payload, true, frame.maskKey);
    log.setMessage(index, 5, false);
    expect(log.toEvent(index)).toMatchObject({
      type: "frame",
      seq: 1,
      dir: "in",
      opname: "text",
      masked: true,
      maskKey: "37fa213d",
      headerLength: 6,
      payloadLength: 5,
      messageLength: 5,
      compressed: false,
      preview: "Hello",
      previewEncoding: "text",
    });
  });

  it("cuts previews at 256 bytes without splitting a character", () => {
    const log = new TapEventLog("log-test-2", 10);
    const long = `${"a".repeat(255)}é and more`;
    const frame = frameOf(encodeFrame({ opcode: 1, payload: text.encode(long) }));
    const index = log.appendFrame("out", frame);
    log.setPreview(index, frame.payload, true);
    expect(log.toEvent(index)).toMatchObject({ preview: "a".repeat(255), payloadLength: 266 });
  });

  it("wraps: the oldest events go, frames keep their seq, extras follow their slot", () => {
    const log = new TapEventLog("log-test-3", 300);
    log.appendEvent({ type: "end", tap: "log-test-3", at: 1, clean: true });
    const close = frameOf(
      encodeFrame({ opcode: 8, payload: Uint8Array.of(0x0f, 0xa1, 0x68, 0x69) }),
    );
    for (let n = 0; n < 1000; n += 1) {
      const frame =
        n === 999 ? close : frameOf(encodeFrame({ opcode: 2, payload: Uint8Array.of(n & 0xff) }));
      const index = log.appendFrame("out", frame);
      log.setPreview(index, frame.payload, false);
    }
    expect(log.total).toBe(1001);
    expect(log.oldest).toBe(701);
    expect(log.toEvent(0)).toBeUndefined();
    expect(log.toEvent(701)).toMatchObject({ seq: 701, opname: "binary", preview: "bc" });
    expect(log.toEvent(1000)).toMatchObject({ seq: 1000, closeCode: 4001, closeReason: "hi" });
  });

  it("a labelled frame is not plain: it carries its label and layer as JSON", () => {
    const log = new TapEventLog("log-test-4", 10);
    const plain = frameOf(encodeFrame({ opcode: 1, payload: text.encode("2") }));
    const first = log.appendFrame("out", plain);
    log.setPreview(first, plain.payload, true);
    log.setMessage(first, 1, false);
    const labelled = frameOf(encodeFrame({ opcode: 1, payload: text.encode('42["hi"]') }));
    const second = log.appendFrame("out", labelled);
    log.setPreview(second, labelled.payload, true);
    log.setMessage(second, 8, false);
    log.setLabel(second, "message · EVENT · / · hi", "socket.io");
    expect(log.isPlainFrame(first)).toBe(true);
    expect(log.isPlainFrame(second)).toBe(false);
    expect(log.toEvent(first)).not.toHaveProperty("label");
    expect(log.toEvent(second)).toMatchObject({
      preview: '42["hi"]',
      messageLength: 8,
      label: "message · EVENT · / · hi",
      layer: "socket.io",
    });
  });
});

describe("TapEventLog's memory", () => {
  /** A budget that only counts, as tap-registry's does before it refuses. */
  function countingBudget() {
    return {
      used: 0,
      reserve(bytes: number) {
        this.used += bytes;
        return true;
      },
      release(bytes: number) {
        this.used -= bytes;
      },
    };
  }

  /** A long-polling exchange as the http tap records it: headers and a body preview. */
  const httpEvent = (body: string) =>
    ({
      type: "http",
      tap: "log-budget",
      at: 0,
      request: { method: "POST", url: "/socket.io/?EIO=4&transport=polling", headers: {} },
      response: { status: 200, headers: {} },
      body,
    }) as unknown as Parameters<TapEventLog["appendEvent"]>[0];

  it("counts what events and labels hold, and gives it back when their slots wrap", () => {
    const budget = countingBudget();
    const log = new TapEventLog("log-budget", 64, budget);
    const columns = budget.used;
    expect(log.allocatedBytes).toBe(columns);

    log.appendEvent(httpEvent("x".repeat(4_000)));
    const afterBig = budget.used - columns;
    expect(afterBig).toBeGreaterThan(8_000); // 4,000 characters of body, two bytes each
    expect(log.allocatedBytes).toBe(budget.used);

    const frame = frameOf(encodeFrame({ opcode: 1, payload: text.encode("42"), maskKey: 1 }));
    const labelled = log.appendFrame("in", frame);
    log.setLabel(labelled, `message · EVENT · /chat · ${"said ".repeat(20)}`, "socket.io");
    expect(budget.used - columns).toBeGreaterThan(afterBig + 200);

    // 64 plain frames later both slots have been reused: only the columns are held.
    for (let i = 0; i < 64; i++) log.appendFrame("out", frame);
    expect(budget.used).toBe(columns);
    log.dispose();
    expect(budget.used).toBe(0);
  });
});
