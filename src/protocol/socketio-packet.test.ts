import { type Packet as EnginePacket, encodePayload } from "engine.io-parser";
import { Decoder, Encoder, type Packet, PacketType } from "socket.io-parser";
import { describe, expect, it } from "vitest";
import {
  type FramePacketDecoded,
  labelFramePacket,
  labelSocketIoMessage,
  parseSocketIoPacket,
  SocketIoDecoder,
} from "./socketio-packet.ts";

// socket.io-parser's Encoder is the oracle: what it encodes, we decode to the same packet.
const encoder = new Encoder();

/** The packet as WebSocket messages, fed to a fresh decoder: every result, in order. */
function overWebSocket(packet: Packet): FramePacketDecoded[] {
  const decoder = new SocketIoDecoder();
  return encoder
    .encode(packet)
    .flatMap((part) => decoder.pushWebSocketMessage(typeof part === "string" ? `4${part}` : part));
}

/** The packet as one long-polling body (attachments base64 with a `b` prefix). */
function overPolling(packet: Packet): FramePacketDecoded[] {
  const messages: EnginePacket[] = encoder
    .encode(packet)
    .map((part) => ({ type: "message", data: part }));
  let body = "";
  encodePayload(messages, (encoded) => {
    body = encoded;
  });
  return new SocketIoDecoder().pushPollingBody(body);
}

const last = (results: FramePacketDecoded[]) => results[results.length - 1];
const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47);
const two = Uint8Array.of(1, 2);

const roundTrips: [string, Packet, FramePacketDecoded][] = [
  [
    "CONNECT with auth",
    { type: PacketType.CONNECT, nsp: "/chat", data: { token: "t" } },
    { layer: "socket.io", type: "CONNECT", nsp: "/chat", data: { token: "t" } },
  ],
  [
    "CONNECT to the main namespace",
    { type: PacketType.CONNECT, nsp: "/" },
    { layer: "socket.io", type: "CONNECT", nsp: "/" },
  ],
  [
    "DISCONNECT",
    { type: PacketType.DISCONNECT, nsp: "/news" },
    { layer: "socket.io", type: "DISCONNECT", nsp: "/news" },
  ],
  [
    "EVENT",
    { type: PacketType.EVENT, nsp: "/chat", data: ["said", { text: "hi" }] },
    {
      layer: "socket.io",
      type: "EVENT",
      nsp: "/chat",
      event: "said",
      args: [{ text: "hi" }],
      attachments: 0,
    },
  ],
  [
    "EVENT with an ack id",
    { type: PacketType.EVENT, nsp: "/", id: 12, data: ["echo", 1, "two", null] },
    {
      layer: "socket.io",
      type: "EVENT",
      nsp: "/",
      event: "echo",
      args: [1, "two", null],
      ackId: 12,
      attachments: 0,
    },
  ],
  [
    "ACK",
    { type: PacketType.ACK, nsp: "/", id: 0, data: ["ok"] },
    { layer: "socket.io", type: "ACK", nsp: "/", ackId: 0, args: ["ok"], attachments: 0 },
  ],
  [
    "CONNECT_ERROR",
    { type: PacketType.CONNECT_ERROR, nsp: "/nope", data: { message: "Invalid namespace" } },
    { layer: "socket.io", type: "CONNECT_ERROR", nsp: "/nope", message: "Invalid namespace" },
  ],
  [
    "CONNECT_ERROR with data",
    {
      type: PacketType.CONNECT_ERROR,
      nsp: "/",
      data: { message: "not authorized", data: { retry: false } },
    },
    {
      layer: "socket.io",
      type: "CONNECT_ERROR",
      nsp: "/",
      message: "not authorized",
      data: { retry: false },
    },
  ],
  [
    "BINARY_EVENT with two attachments",
    { type: PacketType.EVENT, nsp: "/", id: 3, data: ["echo", png, { nested: [two] }] },
    {
      layer: "socket.io",
      type: "BINARY_EVENT",
      nsp: "/",
      event: "echo",
      args: [png, { nested: [two] }],
      ackId: 3,
      attachments: 2,
    },
  ],
  [
    "BINARY_ACK",
    { type: PacketType.ACK, nsp: "/chat", id: 7, data: [png] },
    {
      layer: "socket.io",
      type: "BINARY_ACK",
      nsp: "/chat",
      ackId: 7,
      args: [png],
      attachments: 1,
    },
  ],
];

describe("SocketIoDecoder: round trips through socket.io-parser's Encoder", () => {
  it.each(roundTrips)("%s over WebSocket", (_name, packet, decoded) => {
    expect(last(overWebSocket(packet))).toEqual(decoded);
  });

  it.each(roundTrips)("%s over long-polling", (_name, packet, decoded) => {
    expect(last(overPolling(packet))).toEqual(decoded);
  });
});

describe("parseSocketIoPacket: the wire forms", () => {
  it.each([
    ['2/chat,["said",{"text":"hi"}]', { type: "EVENT", nsp: "/chat", event: "said" }],
    ['2/chat,5["say","x"]', { type: "EVENT", nsp: "/chat", ackId: 5 }],
    ['2["message","hello"]', { type: "EVENT", nsp: "/", args: ["hello"] }],
    ["0/chat", { type: "CONNECT", nsp: "/chat" }],
    ["0/chat,", { type: "CONNECT", nsp: "/chat" }],
    ['0{"sid":"abc"}', { type: "CONNECT", nsp: "/", data: { sid: "abc" } }],
    ['4"Invalid namespace"', { type: "CONNECT_ERROR", message: "Invalid namespace" }],
    ['2[42,"numeric event names are allowed"]', { type: "EVENT", event: 42 }],
    ['21["a",{"_placeholder":true,"num":0}]', { type: "EVENT", attachments: 0 }],
  ])("%s", (wire, expected) => {
    const parsed = parseSocketIoPacket(wire);
    expect(parsed.ok && parsed.packet).toMatchObject(expected);
  });

  it.each([
    ["", "An empty message is not a Socket.IO packet."],
    ["9", "'9' is not a Socket.IO packet type (0–6)."],
    ["x", "'x' is not a Socket.IO packet type (0–6)."],
    ["2", "An EVENT packet's data is a JSON array: [event name, ...arguments]."],
    ["2[]", "An EVENT packet's data is a JSON array: [event name, ...arguments]."],
    ['2{"a":1}', "An EVENT packet's data is a JSON array: [event name, ...arguments]."],
    ["2[null]", "An EVENT packet's first element is the event name (a string)."],
    ['2["connect"]', "'connect' is a reserved event name: a server refuses it."],
    ['2/chat,["said",', "The data after EVENT /chat is not JSON."],
    ['21["said"', "The data after EVENT / (ack id 1) is not JSON."],
    ['3["ok"]', "An ACK packet names the ack id it answers."],
    ['31{"a":1}', "An ACK packet's data is a JSON array of arguments."],
    ["0[]", "A CONNECT packet's data is a JSON object."],
    ["1/chat,{}", "A DISCONNECT packet carries no data."],
    ["4{}", "A CONNECT_ERROR packet's data is a message or { message, data }."],
    ['5["a"]', "A BINARY_EVENT packet starts with its count of attachments and '-'."],
    ['5x-["a"]', "A BINARY_EVENT packet starts with its count of attachments and '-'."],
    ['50-["a"]', "A BINARY_EVENT packet announces no attachments."],
    ['511-["a"]', "11 attachments announced: more than 10."],
    ['299999999999999999999["a"]', "The ack id 99999999999999999999 is too large."],
  ])("%j is refused: %s", (wire, reason) => {
    expect(parseSocketIoPacket(wire)).toEqual({ ok: false, reason });
  });
});

describe("SocketIoDecoder: attachments", () => {
  it("says which attachment it waits for, then joins them", () => {
    const decoder = new SocketIoDecoder();
    const header = '452-/chat,["said",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]';
    expect(decoder.pushWebSocketMessage(header).map(labelFramePacket)).toEqual([
      "message · BINARY_EVENT · /chat · said · waiting for attachment 1 of 2",
    ]);
    expect(decoder.waiting).toBe(true);
    expect(decoder.pushWebSocketMessage(png).map(labelFramePacket)).toEqual([
      "message · attachment 1 of 2 · 4 bytes · waiting for attachment 2 of 2",
    ]);
    const [joined] = decoder.pushWebSocketMessage(two);
    expect(joined).toEqual({
      layer: "socket.io",
      type: "BINARY_EVENT",
      nsp: "/chat",
      event: "said",
      args: [two, png],
      attachments: 2,
    });
    expect(decoder.waiting).toBe(false);
  });

  it("lets heartbeats pass between a binary packet and its attachments", () => {
    const decoder = new SocketIoDecoder();
    decoder.pushWebSocketMessage('451-["echo",{"_placeholder":true,"num":0}]');
    expect(decoder.pushWebSocketMessage("2")).toEqual([
      { layer: "engine.io", type: "ping", data: "" },
    ]);
    expect(decoder.pushWebSocketMessage(png).map(labelFramePacket)).toEqual([
      "message · BINARY_EVENT · / · echo · 1 attachment",
    ]);
  });

  it("joins attachments that arrive in a later polling body", () => {
    const decoder = new SocketIoDecoder();
    expect(
      decoder
        .pushPollingBody('451-1["echo",{"_placeholder":true,"num":0}]\x1e3')
        .map(labelFramePacket),
    ).toEqual([
      "message · BINARY_EVENT · / · echo · ack 1 · waiting for attachment 1 of 1",
      "pong",
    ]);
    expect(decoder.pushPollingBody(`b${Buffer.from(png).toString("base64")}`)).toMatchObject([
      { type: "BINARY_EVENT", args: [png], ackId: 1 },
    ]);
  });

  it("gives up on missing attachments at the next text packet, and decodes that packet", () => {
    const decoder = new SocketIoDecoder();
    const header = '452-["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]';
    decoder.pushWebSocketMessage(header);
    decoder.pushWebSocketMessage(png);
    expect(decoder.pushWebSocketMessage('42["message","hello"]')).toEqual([
      {
        layer: "socket.io",
        type: "error",
        reason: "BINARY_EVENT / announced 2 attachment(s) but a text packet came after 1.",
        preview: header.slice(1),
      },
      {
        layer: "socket.io",
        type: "EVENT",
        nsp: "/",
        event: "message",
        args: ["hello"],
        attachments: 0,
      },
    ]);
    expect(decoder.waiting).toBe(false);
  });

  it("where socket.io-parser's Decoder throws and stays stuck", () => {
    const stuck = new Decoder();
    stuck.add('52-["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    stuck.add(png);
    expect(() => stuck.add('2["message","hello"]')).toThrow(/reconstructing/);
    expect(() => stuck.add('2["message","again"]')).toThrow(/reconstructing/);
  });

  it("gives up on missing attachments when the connection closes", () => {
    const decoder = new SocketIoDecoder();
    decoder.pushWebSocketMessage('461-/chat,4[{"_placeholder":true,"num":0}]');
    expect(decoder.pushWebSocketMessage("1").map(labelFramePacket)).toEqual([
      "message · error · BINARY_ACK /chat announced 1 attachment(s) but the close packet came after 0.",
      "close",
    ]);
  });

  it("shows a binary message nobody announced, then goes on", () => {
    const decoder = new SocketIoDecoder();
    expect(decoder.pushWebSocketMessage(png).map(labelFramePacket)).toEqual([
      "message · error · A binary message (4 bytes) that no BINARY_EVENT or BINARY_ACK announced.",
    ]);
    expect(decoder.pushWebSocketMessage('42["message","hi"]').map(labelFramePacket)).toEqual([
      "message · EVENT · / · message",
    ]);
  });

  it.each([
    ['451-["a",{"_placeholder":true,"num":1}]', "attachment 1"],
    ['451-["a",{"_placeholder":true,"num":-1}]', "attachment -1"],
    ['451-["a",{"_placeholder":true,"num":"0"}]', 'attachment "0"'],
    ['451-["a",{"_placeholder":true}]', "attachment undefined"],
  ])("refuses a placeholder naming no announced attachment: %s", (wire, named) => {
    const decoder = new SocketIoDecoder();
    const [result] = decoder.pushWebSocketMessage(wire);
    expect(result).toMatchObject({ type: "error", reason: expect.stringContaining(named) });
    expect(decoder.waiting).toBe(false);
  });

  it("finds placeholders deep in a value without overflowing the stack", () => {
    const depth = 100_000;
    const wire = `451-["deep",${"[".repeat(depth)}{"_placeholder":true,"num":0}${"]".repeat(depth)}]`;
    const decoder = new SocketIoDecoder();
    decoder.pushWebSocketMessage(wire);
    let value = decoder.pushWebSocketMessage(png)[0];
    expect(value).toMatchObject({ type: "BINARY_EVENT", event: "deep" });
    value = value?.type === "BINARY_EVENT" ? (value.args[0] as never) : undefined;
    for (let level = 0; level < depth && Array.isArray(value); level += 1) value = value[0];
    expect(value).toBe(png);
  });
});

describe("SocketIoDecoder: errors are values and the decoder goes on", () => {
  it("decodes every packet after each kind of bad one", () => {
    const decoder = new SocketIoDecoder();
    const good = '42/chat,["said",{"text":"hi"}]';
    for (const bad of ["", "7", "49", "42[", '45-["a"]', '4511-["a"]', '43["ok"]', "0{"]) {
      const [error] = decoder.pushWebSocketMessage(bad);
      expect(error?.type, bad).toBe("error");
      expect(decoder.pushWebSocketMessage(good).map(labelFramePacket)).toEqual([
        "message · EVENT · /chat · said",
      ]);
    }
  });

  it("decodes the rest of a polling body after a bad record", () => {
    const results = new SocketIoDecoder().pushPollingBody('42[\x1eb%%\x1e42["message","x"]\x1e2');
    expect(results.map(labelFramePacket)).toEqual([
      "message · error · The data after EVENT / is not JSON.",
      "error · A binary record ('b' prefix): Not valid base64 (A–Z, a–z, 0–9, + and /, = padding).",
      "message · EVENT · / · message",
      "ping",
    ]);
  });
});

describe("labels", () => {
  it.each([
    ['42/chat,["said",{"from":"x"}]', "message · EVENT · /chat · said"],
    ['421["echo",1]', "message · EVENT · / · echo · ack 1"],
    ['431["ok"]', "message · ACK · / · ack 1"],
    ['40/chat,{"sid":"abc"}', "message · CONNECT · /chat"],
    ["41/news,", "message · DISCONNECT · /news"],
    [
      '44/admin,{"message":"Invalid namespace"}',
      "message · CONNECT_ERROR · /admin · Invalid namespace",
    ],
    [
      '451-["echo",{"_placeholder":true,"num":0}]',
      "message · BINARY_EVENT · / · echo · waiting for attachment 1 of 1",
    ],
    ["2probe", "ping · probe"],
    ["3probe", "pong · probe"],
    ["5", "upgrade"],
    ["6", "noop"],
    ["4", "message · error · An empty message is not a Socket.IO packet."],
  ])("%s → %s", (wire, label) => {
    expect(labelSocketIoMessage(wire)).toBe(label);
  });
});
