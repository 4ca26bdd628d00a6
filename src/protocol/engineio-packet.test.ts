import { encodePacket, encodePayload, type Packet } from "engine.io-parser";
import { describe, expect, it } from "vitest";
import {
  decodeEngineIoPacket,
  decodeEngineIoPayload,
  type EngineIoDecoded,
  labelEngineIoPacket,
} from "./engineio-packet.ts";

// engine.io-parser is the oracle: what it encodes, we decode to the same packet.
const encodeOne = (packet: Packet) =>
  new Promise<string | Uint8Array>((resolve) =>
    encodePacket(packet, true, (encoded) => resolve(encoded as string | Uint8Array)),
  );
const encodeBody = (packets: Packet[]) =>
  new Promise<string>((resolve) => encodePayload(packets, resolve));

const HANDSHAKE = {
  sid: "lv_VI97HAXpY6yYWAAAC",
  upgrades: ["websocket"],
  pingInterval: 25000,
  pingTimeout: 20000,
  maxPayload: 1000000,
};
const bytes = Uint8Array.of(1, 2, 0xff);

const cases: [Packet, EngineIoDecoded][] = [
  [
    { type: "open", data: JSON.stringify(HANDSHAKE) },
    { layer: "engine.io", type: "open", handshake: HANDSHAKE },
  ],
  [{ type: "close" }, { layer: "engine.io", type: "close" }],
  [{ type: "ping" }, { layer: "engine.io", type: "ping", data: "" }],
  [{ type: "pong" }, { layer: "engine.io", type: "pong", data: "" }],
  [
    { type: "ping", data: "probe" },
    { layer: "engine.io", type: "ping", data: "probe" },
  ],
  [
    { type: "pong", data: "probe" },
    { layer: "engine.io", type: "pong", data: "probe" },
  ],
  [
    { type: "message", data: "hello" },
    { layer: "engine.io", type: "message", data: "hello" },
  ],
  [
    { type: "message", data: "" },
    { layer: "engine.io", type: "message", data: "" },
  ],
  [
    { type: "message", data: '2["said","é😀"]' },
    { layer: "engine.io", type: "message", data: '2["said","é😀"]' },
  ],
  [{ type: "upgrade" }, { layer: "engine.io", type: "upgrade" }],
  [{ type: "noop" }, { layer: "engine.io", type: "noop" }],
  [
    { type: "message", data: bytes },
    { layer: "engine.io", type: "message", data: bytes },
  ],
];

describe("decodeEngineIoPacket: one WebSocket message", () => {
  it.each(cases)(
    "%j round-trips through engine.io-parser's encodePacket",
    async (packet, decoded) => {
      const wire = await encodeOne(packet);
      expect(decodeEngineIoPacket(wire)).toEqual(decoded);
    },
  );

  it("reads the wire forms the protocol documents", () => {
    expect(decodeEngineIoPacket("2probe")).toEqual({
      layer: "engine.io",
      type: "ping",
      data: "probe",
    });
    expect(decodeEngineIoPacket("3probe")).toEqual({
      layer: "engine.io",
      type: "pong",
      data: "probe",
    });
    expect(decodeEngineIoPacket("5")).toEqual({ layer: "engine.io", type: "upgrade" });
    expect(decodeEngineIoPacket('42/chat,["said"]')).toEqual({
      layer: "engine.io",
      type: "message",
      data: '2/chat,["said"]',
    });
  });

  it.each([
    ["", "An empty packet has no type."],
    ["7", "'7' is not an Engine.IO packet type (0–6)."],
    ["b", "'b' is not an Engine.IO packet type (0–6)."],
    ["0{", "The open packet's handshake is not JSON."],
    ["0[]", "The open packet's handshake is not a JSON object."],
    ['0{"upgrades":[]}', "The open packet has no session id (sid)."],
    [
      '0{"sid":"a","upgrades":"websocket","pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      "The open packet's upgrades are not a list of transport names.",
    ],
    [
      '0{"sid":"a","upgrades":[],"pingInterval":"1","pingTimeout":1,"maxPayload":1}',
      "The open packet's pingInterval is not a number of ms or bytes.",
    ],
    ["1x", "A close packet carries no data (got 1 chars)."],
    ["6ab", "A noop packet carries no data (got 2 chars)."],
  ])("%j is an error packet: %s", (wire, reason) => {
    expect(decodeEngineIoPacket(wire)).toEqual({
      layer: "engine.io",
      type: "error",
      reason,
      preview: wire.slice(0, 80) + (wire.length > 80 ? "…" : ""),
    });
  });

  it("keeps only the start of a long bad packet", () => {
    const decoded = decodeEngineIoPacket(`9${"x".repeat(1000)}`);
    expect(decoded.type === "error" && decoded.preview).toBe(`9${"x".repeat(79)}…`);
  });
});

describe("decodeEngineIoPayload: one long-polling body", () => {
  it("round-trips engine.io-parser's encodePayload, binary as b+base64", async () => {
    const body = await encodeBody(cases.map(([packet]) => packet));
    expect(body).toContain("\x1ebAQL/");
    expect(decodeEngineIoPayload(body)).toEqual(cases.map(([, decoded]) => decoded));
  });

  it("decodes a single packet and an empty binary record", () => {
    expect(decodeEngineIoPayload("6")).toEqual([{ layer: "engine.io", type: "noop" }]);
    expect(decodeEngineIoPayload("b")).toEqual([
      { layer: "engine.io", type: "message", data: new Uint8Array(0) },
    ]);
  });

  it("shows a bad record in its place and decodes the records after it", () => {
    expect(decodeEngineIoPayload("40\x1eb!!\x1e9\x1e\x1e2")).toEqual([
      { layer: "engine.io", type: "message", data: "0" },
      {
        layer: "engine.io",
        type: "error",
        reason:
          "A binary record ('b' prefix): Not valid base64 (A–Z, a–z, 0–9, + and /, = padding).",
        preview: "b!!",
      },
      {
        layer: "engine.io",
        type: "error",
        reason: "'9' is not an Engine.IO packet type (0–6).",
        preview: "9",
      },
      { layer: "engine.io", type: "error", reason: "An empty packet has no type.", preview: "" },
      { layer: "engine.io", type: "ping", data: "" },
    ]);
  });
});

describe("labelEngineIoPacket", () => {
  it.each([
    [`0${JSON.stringify(HANDSHAKE)}`, "open · sid lv_VI97HAXpY6yYWAAAC"],
    ["2", "ping"],
    ["2probe", "ping · probe"],
    ["3probe", "pong · probe"],
    ["4hello", "message · 5 chars"],
    [bytes, "message · binary · 3 bytes"],
    ["5", "upgrade"],
    ["6", "noop"],
    ["1", "close"],
    ["8", "error · '8' is not an Engine.IO packet type (0–6)."],
  ] as const)("%j → %s", (wire, label) => {
    expect(labelEngineIoPacket(decodeEngineIoPacket(wire))).toBe(label);
  });
});
