import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { formatCount } from "../../shared/format-count.ts";

/** One field of a frame header as RFC 6455 §5.2 draws it: a run of bits with a value. */
export interface HeaderField {
  name: string;
  bits: number;
  /** The field's value as shown in the diagram. */
  value: string;
  /** What it means, in a few words. */
  meaning: string;
  /** The field's bits as hex, for the fields of whole bytes (extended length, masking key). */
  hex?: string;
}

/**
 * The header of a frame split into the fields of RFC 6455 §5.2, in wire order: the first
 * two bytes always, then 16 or 64 bits of extended length, then the 32-bit masking key.
 */
export function frameHeaderFields(frame: FrameEvent): HeaderField[] {
  const bit = (on: boolean) => (on ? "1" : "0");
  const lengthField =
    frame.lengthEncoding === "7-bit"
      ? frame.payloadLength
      : frame.lengthEncoding === "16-bit"
        ? 126
        : 127;
  const fields: HeaderField[] = [
    {
      name: "FIN",
      bits: 1,
      value: bit(frame.fin),
      meaning: frame.fin ? "last frame of the message" : "more frames follow",
    },
    {
      name: "RSV1",
      bits: 1,
      value: bit(frame.rsv1),
      meaning: frame.rsv1 ? "compressed (permessage-deflate)" : "not compressed",
    },
    { name: "RSV2", bits: 1, value: bit(frame.rsv2), meaning: "reserved for extensions" },
    { name: "RSV3", bits: 1, value: bit(frame.rsv3), meaning: "reserved for extensions" },
    {
      name: "opcode",
      bits: 4,
      value: `0x${Math.max(0, frame.opcode).toString(16)}`,
      meaning: frame.opname,
    },
    {
      name: "MASK",
      bits: 1,
      value: bit(frame.masked),
      meaning: frame.masked
        ? "payload XORed with the key (client→server)"
        : "not masked (server→client)",
    },
    {
      name: "payload len",
      bits: 7,
      value: String(lengthField),
      meaning:
        lengthField === 126
          ? "126: the length follows in 16 bits"
          : lengthField === 127
            ? "127: the length follows in 64 bits"
            : "the length itself (0–125)",
    },
  ];
  if (frame.lengthEncoding !== "7-bit") {
    const bits = frame.lengthEncoding === "16-bit" ? 16 : 64;
    fields.push({
      name: "extended payload length",
      bits,
      value: formatCount(frame.payloadLength),
      meaning: "payload bytes, big-endian",
      hex: frame.payloadLength.toString(16).padStart(bits / 4, "0"),
    });
  }
  if (frame.maskKey) {
    fields.push({
      name: "masking key",
      bits: 32,
      value: frame.maskKey,
      meaning: "random per frame",
      hex: frame.maskKey,
    });
  }
  return fields;
}

/** Why this frame's length took the encoding it did. */
export function lengthEncodingNote(frame: FrameEvent): string {
  switch (frame.lengthEncoding) {
    case "7-bit":
      return `${frame.payloadLength} bytes fit in the 7-bit length field (0–125): a ${frame.headerLength}-byte header.`;
    case "16-bit":
      return `${formatCount(frame.payloadLength)} bytes need the 16-bit extended length (126–65,535): a ${frame.headerLength}-byte header.`;
    case "64-bit":
      return `${formatCount(frame.payloadLength)} bytes need the 64-bit extended length (65,536 and more): a ${frame.headerLength}-byte header.`;
  }
}

/** Bits in a row of the diagram, as in RFC 6455 §5.2's figure. */
export const ROW_BITS = 32;

/** One box of the diagram: a header field, or the part of it that falls in one row. */
export interface DiagramCell {
  kind: "field" | "payload";
  name: string;
  /** 0-based row of 32 bits. */
  row: number;
  /** The first bit of the cell within its row, 0–31. */
  column: number;
  /** Bits this cell spans in its row. */
  bits: number;
  /** Where the cell starts inside its field: 0 unless it continues the field from a row above. */
  offset: number;
  /** The whole field's width: more than `bits` when it spans rows. */
  fieldBits: number;
  /** The whole field's value (on every part of a split field). */
  value: string;
  /** This part's own bits as hex, for the fields of whole bytes. */
  hex?: string;
  meaning: string;
}

/**
 * The header laid out as RFC 6455 §5.2 draws it: 32-bit rows, each field at its true width,
 * a field that does not fit in what is left of a row continuing at the start of the next
 * (the 64-bit extended length spans three rows, the masking key two when it starts mid-row).
 * Absent fields take no room. The payload, when there is one, fills the rest of the last row,
 * or one row of its own when the header ends on a row boundary, to show where data begins.
 */
export function frameDiagramCells(frame: FrameEvent): DiagramCell[] {
  const cells: DiagramCell[] = [];
  let position = 0;
  for (const field of frameHeaderFields(frame)) {
    for (let offset = 0; offset < field.bits; ) {
      const column = position % ROW_BITS;
      const bits = Math.min(field.bits - offset, ROW_BITS - column);
      const cell: DiagramCell = {
        kind: "field",
        name: field.name,
        row: Math.floor(position / ROW_BITS),
        column,
        bits,
        offset,
        fieldBits: field.bits,
        value: field.value,
        meaning: field.meaning,
      };
      if (field.hex !== undefined) cell.hex = field.hex.slice(offset / 4, (offset + bits) / 4);
      cells.push(cell);
      offset += bits;
      position += bits;
    }
  }
  if (frame.payloadLength > 0) {
    const column = position % ROW_BITS;
    const bits = ROW_BITS - column;
    cells.push({
      kind: "payload",
      name: "payload data",
      row: Math.floor(position / ROW_BITS),
      column,
      bits,
      offset: 0,
      fieldBits: frame.payloadLength * 8,
      value: `${formatCount(frame.payloadLength)} byte${frame.payloadLength === 1 ? "" : "s"}`,
      meaning: frame.masked ? "masked with the key above" : "as sent",
    });
  }
  return cells;
}
