import type { FrameEvent } from "../../protocol/inspector-events.ts";

/** One field of a frame header as RFC 6455 §5.2 draws it: a run of bits with a value. */
export interface HeaderField {
  name: string;
  bits: number;
  /** The field's value as shown in the diagram. */
  value: string;
  /** What it means, in a few words. */
  meaning: string;
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
    fields.push({
      name: "extended payload length",
      bits: frame.lengthEncoding === "16-bit" ? 16 : 64,
      value: frame.payloadLength.toLocaleString("en-US"),
      meaning: "payload bytes, big-endian",
    });
  }
  if (frame.maskKey) {
    fields.push({
      name: "masking key",
      bits: 32,
      value: frame.maskKey,
      meaning: "random per frame",
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
      return `${frame.payloadLength.toLocaleString("en-US")} bytes need the 16-bit extended length (126–65,535): a ${frame.headerLength}-byte header.`;
    case "64-bit":
      return `${frame.payloadLength.toLocaleString("en-US")} bytes need the 64-bit extended length (65,536 and more): a ${frame.headerLength}-byte header.`;
  }
}
