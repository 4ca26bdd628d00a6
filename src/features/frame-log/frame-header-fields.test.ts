import { describe, expect, it } from "vitest";
import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { frameHeaderFields, lengthEncodingNote } from "./frame-header-fields.ts";

const frame = (overrides: Partial<FrameEvent>): FrameEvent => ({
  type: "frame",
  tap: "tap-test-1",
  seq: 1,
  at: 0,
  dir: "in",
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 1,
  opname: "text",
  masked: true,
  maskKey: "37fa213d",
  headerLength: 6,
  payloadLength: 5,
  lengthEncoding: "7-bit",
  preview: "Hello",
  previewEncoding: "text",
  ...overrides,
});

describe("frameHeaderFields", () => {
  it("draws a small masked frame as RFC 6455 §5.2 does", () => {
    const fields = frameHeaderFields(frame({}));
    expect(fields.map((field) => [field.name, field.bits, field.value])).toEqual([
      ["FIN", 1, "1"],
      ["RSV1", 1, "0"],
      ["RSV2", 1, "0"],
      ["RSV3", 1, "0"],
      ["opcode", 4, "0x1"],
      ["MASK", 1, "1"],
      ["payload len", 7, "5"],
      ["masking key", 32, "37fa213d"],
    ]);
    expect(fields.reduce((sum, field) => sum + field.bits, 0) / 8).toBe(6);
  });

  it("adds the extended length for 16- and 64-bit encodings", () => {
    const medium = frameHeaderFields(
      frame({
        masked: false,
        maskKey: undefined,
        payloadLength: 256,
        lengthEncoding: "16-bit",
        headerLength: 4,
      }),
    );
    expect(medium.find((field) => field.name === "payload len")?.value).toBe("126");
    expect(medium.at(-1)).toMatchObject({
      name: "extended payload length",
      bits: 16,
      value: "256",
    });
    const large = frameHeaderFields(
      frame({ payloadLength: 65536, lengthEncoding: "64-bit", headerLength: 14 }),
    );
    expect(large.find((field) => field.name === "payload len")?.value).toBe("127");
    expect(large.reduce((sum, field) => sum + field.bits, 0) / 8).toBe(14);
  });

  it("explains the length encoding", () => {
    expect(lengthEncodingNote(frame({}))).toBe(
      "5 bytes fit in the 7-bit length field (0–125): a 6-byte header.",
    );
  });
});
