import { describe, expect, it } from "vitest";
import type { FrameEvent } from "../../protocol/inspector-events.ts";
import {
  type DiagramCell,
  frameDiagramCells,
  frameHeaderFields,
  lengthEncodingNote,
} from "./frame-header-fields.ts";

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

  it("explains the length encoding, counts grouped as the page writes them", () => {
    expect(lengthEncodingNote(frame({}))).toBe(
      "5 bytes fit in the 7-bit length field (0–125): a 6-byte header.",
    );
    expect(
      lengthEncodingNote(frame({ payloadLength: 300, lengthEncoding: "16-bit", headerLength: 4 })),
    ).toBe("300 bytes need the 16-bit extended length (126–65,535): a 4-byte header.");
    expect(
      lengthEncodingNote(
        frame({ payloadLength: 70000, lengthEncoding: "64-bit", headerLength: 14 }),
      ),
    ).toBe("70,000 bytes need the 64-bit extended length (65,536 and more): a 14-byte header.");
  });
});

/** `row:column+bits name [hex]`, one string per cell: the layout at a glance. */
const layout = (cells: DiagramCell[]) =>
  cells.map(
    (cell) =>
      `${cell.row}:${cell.column}+${cell.bits} ${cell.name}${cell.hex ? ` ${cell.hex}` : ""}`,
  );

const FIRST_ROW = [
  "0:0+1 FIN",
  "0:1+1 RSV1",
  "0:2+1 RSV2",
  "0:3+1 RSV3",
  "0:4+4 opcode",
  "0:8+1 MASK",
  "0:9+7 payload len",
];

describe("frameDiagramCells", () => {
  it("draws a masked 70,000-byte frame as RFC 6455 §5.2's figure: four rows", () => {
    const cells = frameDiagramCells(
      frame({ payloadLength: 70000, lengthEncoding: "64-bit", headerLength: 14 }),
    );
    // 70,000 is 0x11170; the key 37fa213d.
    expect(layout(cells)).toEqual([
      ...FIRST_ROW,
      "0:16+16 extended payload length 0000",
      "1:0+32 extended payload length 00000001",
      "2:0+16 extended payload length 1170",
      "2:16+16 masking key 37fa",
      "3:0+16 masking key 213d",
      "3:16+16 payload data",
    ]);
    const lengthParts = cells.filter((cell) => cell.name === "extended payload length");
    expect(lengthParts.map((cell) => [cell.offset, cell.fieldBits, cell.value])).toEqual([
      [0, 64, "70,000"],
      [16, 64, "70,000"],
      [48, 64, "70,000"],
    ]);
    expect(cells.at(-1)).toMatchObject({ kind: "payload", value: "70,000 bytes" });
  });

  it("puts a 16-bit length beside the first 16 bits and the key on a row of its own", () => {
    const cells = frameDiagramCells(
      frame({ payloadLength: 200, lengthEncoding: "16-bit", headerLength: 8 }),
    );
    expect(layout(cells)).toEqual([
      ...FIRST_ROW,
      "0:16+16 extended payload length 00c8",
      "1:0+32 masking key 37fa213d",
      "2:0+32 payload data",
    ]);
    expect(cells.find((cell) => cell.name === "extended payload length")?.value).toBe("200");
  });

  it("splits the key over two rows when there is no extended length", () => {
    expect(layout(frameDiagramCells(frame({})))).toEqual([
      ...FIRST_ROW,
      "0:16+16 masking key 37fa",
      "1:0+16 masking key 213d",
      "1:16+16 payload data",
    ]);
  });

  it("draws neither extended length nor key when a frame has none", () => {
    const cells = frameDiagramCells(
      frame({ masked: false, maskKey: undefined, payloadLength: 2, headerLength: 2 }),
    );
    expect(layout(cells)).toEqual([...FIRST_ROW, "0:16+16 payload data"]);
    expect(cells.at(-1)?.value).toBe("2 bytes");
  });

  it("draws no payload for an empty frame", () => {
    const cells = frameDiagramCells(
      frame({ masked: false, maskKey: undefined, payloadLength: 0, headerLength: 2 }),
    );
    expect(layout(cells)).toEqual(FIRST_ROW);
  });

  it.each([
    ["7-bit", 5, true],
    ["7-bit", 0, false],
    ["16-bit", 300, true],
    ["16-bit", 65535, false],
    ["64-bit", 65536, true],
    ["64-bit", 2 ** 53 - 1, false],
  ] as const)(
    "never overlaps or overflows a row (%s, %i bytes, masked %s)",
    (encoding, length, masked) => {
      const cells = frameDiagramCells(
        frame({
          payloadLength: length,
          lengthEncoding: encoding,
          masked,
          maskKey: masked ? "0a0b0c0d" : undefined,
        }),
      );
      const used = new Set<number>();
      for (const cell of cells) {
        expect(cell.bits).toBeGreaterThan(0);
        expect(cell.column + cell.bits).toBeLessThanOrEqual(32);
        for (let bit = cell.column; bit < cell.column + cell.bits; bit += 1) {
          const at = cell.row * 32 + bit;
          expect(used.has(at)).toBe(false);
          used.add(at);
        }
      }
      // Each field's parts add up to its width, and the header bits to its bytes.
      const header = cells.filter((cell) => cell.kind === "field");
      const extra = encoding === "7-bit" ? 0 : encoding === "16-bit" ? 16 : 64;
      expect(header.reduce((sum, cell) => sum + cell.bits, 0)).toBe(16 + extra + (masked ? 32 : 0));
      // The hex of a split field's parts joined is the field's hex.
      const lengthHex = header
        .filter((cell) => cell.name === "extended payload length")
        .map((cell) => cell.hex)
        .join("");
      if (extra > 0) expect(Number.parseInt(lengthHex, 16)).toBe(length);
    },
  );
});
