import { describe, expect, it } from "vitest";
import {
  type ClientEnvelope,
  decodeBinaryFrame,
  decodeClientEnvelope,
  decodeServerEnvelope,
  describeMuxMessage,
  encodeBinaryFrame,
  encodeClientEnvelope,
  encodeServerEnvelope,
  muxMessageChannel,
  type ServerEnvelope,
} from "./mux-envelope.ts";
import { checkServiceParams, findMuxService } from "./mux-services.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, "hex"));

function clientRoundTrip(envelope: ClientEnvelope) {
  expect(decodeClientEnvelope(encodeClientEnvelope(envelope))).toEqual({
    ok: true,
    value: envelope,
  });
}
function serverRoundTrip(envelope: ServerEnvelope) {
  expect(decodeServerEnvelope(encodeServerEnvelope(envelope))).toEqual({
    ok: true,
    value: envelope,
  });
}

describe("client envelopes", () => {
  it("round-trip", () => {
    clientRoundTrip({ op: "open", ch: 1, service: "chat", params: { room: "lobby" } });
    clientRoundTrip({ op: "open", ch: 65535, service: "echo", params: {} });
    clientRoundTrip({ op: "data", ch: 7, data: { nested: [1, "two", null] } });
    clientRoundTrip({ op: "data", ch: 7, data: null });
    clientRoundTrip({ op: "data", ch: 7, data: "text" });
    clientRoundTrip({ op: "close", ch: 300 });
  });

  it("encode in the SPEC's key order", () => {
    expect(
      encodeClientEnvelope({ op: "open", ch: 3, service: "clock", params: { interval: 50 } }),
    ).toBe('{"op":"open","ch":3,"service":"clock","params":{"interval":50}}');
    expect(encodeClientEnvelope({ op: "close", ch: 3 })).toBe('{"op":"close","ch":3}');
  });

  it("default params to {}", () => {
    expect(decodeClientEnvelope('{"op":"open","ch":2,"service":"echo"}')).toEqual({
      ok: true,
      value: { op: "open", ch: 2, service: "echo", params: {} },
    });
  });

  it.each([
    ["not json", null, "bad-envelope", "not JSON"],
    ["[1,2]", null, "bad-envelope", "an envelope is a JSON object"],
    ["null", null, "bad-envelope", "an envelope is a JSON object"],
    ['{"ch":1}', 1, "bad-envelope", "op is missing"],
    ['{"op":"dance","ch":4}', 4, "unknown-op", 'unknown op "dance" (expected open, data, close)'],
    ['{"op":"opened","ch":4}', 4, "unknown-op", 'unknown op "opened" (expected open, data, close)'],
    ['{"op":"data"}', null, "bad-envelope", "ch is missing"],
    [
      '{"op":"data","ch":0,"data":1}',
      null,
      "bad-channel",
      "ch must be an integer from 1 to 65535, not 0",
    ],
    [
      '{"op":"data","ch":65536,"data":1}',
      null,
      "bad-channel",
      "ch must be an integer from 1 to 65535, not 65536",
    ],
    [
      '{"op":"data","ch":1.5,"data":1}',
      null,
      "bad-channel",
      "ch must be an integer from 1 to 65535, not 1.5",
    ],
    [
      '{"op":"data","ch":"1","data":1}',
      null,
      "bad-channel",
      'ch must be an integer from 1 to 65535, not "1"',
    ],
    ['{"op":"data","ch":9}', 9, "bad-envelope", "data is missing"],
    ['{"op":"open","ch":9}', 9, "bad-envelope", "open needs a service name (a string)"],
    [
      '{"op":"open","ch":9,"service":"echo","params":[]}',
      9,
      "bad-envelope",
      "params must be a JSON object",
    ],
    [
      '{"op":"open","ch":9,"service":"echo","params":null}',
      9,
      "bad-envelope",
      "params must be a JSON object",
    ],
  ])("%s is refused as a value", (text, ch, code, message) => {
    expect(decodeClientEnvelope(text)).toEqual({ ok: false, error: { code, message, ch } });
  });

  it("goes on decoding after an error", () => {
    expect(decodeClientEnvelope("{").ok).toBe(false);
    expect(decodeClientEnvelope('{"op":"close","ch":1}').ok).toBe(true);
  });
});

describe("server envelopes", () => {
  it("round-trip", () => {
    serverRoundTrip({ op: "opened", ch: 1 });
    serverRoundTrip({ op: "data", ch: 2, data: { tick: 1, at: 1700000000000 } });
    serverRoundTrip({ op: "closed", ch: 3, reason: "counted to 3" });
    serverRoundTrip({ op: "error", ch: 4, code: "unknown-service", message: "no such service" });
    serverRoundTrip({ op: "error", ch: null, code: "bad-envelope", message: "not JSON" });
  });

  it("refuse what a server may not send", () => {
    expect(decodeServerEnvelope('{"op":"open","ch":1,"service":"echo"}')).toMatchObject({
      ok: false,
      error: { code: "unknown-op", ch: 1 },
    });
    expect(decodeServerEnvelope('{"op":"closed","ch":1}')).toMatchObject({
      ok: false,
      error: { code: "bad-envelope", message: "closed needs a reason (a string)" },
    });
    expect(decodeServerEnvelope('{"op":"error","ch":1,"code":"oops","message":""}')).toMatchObject({
      ok: false,
      error: { code: "bad-envelope", message: "error needs a known code" },
    });
    // Only an error may be about no channel.
    expect(decodeServerEnvelope('{"op":"opened","ch":null}')).toMatchObject({
      ok: false,
      error: { code: "bad-channel" },
    });
  });
});

describe("binary frames", () => {
  it("put the channel id first, two bytes big-endian", () => {
    expect(hex(encodeBinaryFrame(1, fromHex("cafe")))).toBe("0001cafe");
    expect(hex(encodeBinaryFrame(0x1234, new Uint8Array()))).toBe("1234");
    expect(hex(encodeBinaryFrame(65535, fromHex("00")))).toBe("ffff00");
  });

  it("round-trip", () => {
    const decoded = decodeBinaryFrame(encodeBinaryFrame(258, fromHex("010203")));
    expect(decoded.ok && { ch: decoded.value.ch, payload: hex(decoded.value.payload) }).toEqual({
      ch: 258,
      payload: "010203",
    });
  });

  it("refuse frames too short for a channel id, and channel 0", () => {
    expect(decodeBinaryFrame(fromHex("01"))).toEqual({
      ok: false,
      error: {
        code: "bad-envelope",
        message: "a binary frame starts with a 2-byte channel id; this one has 1 byte",
        ch: null,
      },
    });
    expect(decodeBinaryFrame(fromHex("0000ff"))).toMatchObject({
      ok: false,
      error: { code: "bad-channel" },
    });
  });
});

describe("describeMuxMessage", () => {
  it.each([
    ["in", '{"op":"open","ch":3,"service":"chat","params":{"room":"x"}}', "channel 3 · open chat"],
    ["in", '{"op":"data","ch":3,"data":"hi"}', "channel 3 · data"],
    ["in", '{"op":"close","ch":3}', "channel 3 · close"],
    ["out", '{"op":"opened","ch":3}', "channel 3 · opened"],
    ["out", '{"op":"data","ch":3,"data":1}', "channel 3 · data"],
    ["out", '{"op":"closed","ch":3,"reason":"counted to 1"}', "channel 3 · closed: counted to 1"],
    [
      "out",
      '{"op":"error","ch":null,"code":"bad-envelope","message":"not JSON"}',
      "connection · error bad-envelope: not JSON",
    ],
    ["in", "{oops", "⚠ mux: bad envelope: not JSON"],
    [
      "in",
      '{"op":"zap","ch":2}',
      '⚠ mux: unknown op (channel 2): unknown op "zap" (expected open, data, close)',
    ],
  ] as const)("%s %s → %s", (direction, text, label) => {
    expect(describeMuxMessage(direction, text)).toBe(label);
  });

  it("labels binary frames with their channel and size", () => {
    expect(describeMuxMessage("out", fromHex("0003aabbcc"))).toBe(
      "channel 3 · data (binary, 3 bytes)",
    );
    expect(describeMuxMessage("in", fromHex("07"))).toMatch(/^⚠ mux: bad envelope: /);
  });

  it("finds the channel to colour by, even of a bad envelope", () => {
    expect(muxMessageChannel("in", '{"op":"data","ch":5,"data":0}')).toBe(5);
    expect(muxMessageChannel("in", '{"op":"zap","ch":6}')).toBe(6);
    expect(muxMessageChannel("out", fromHex("0102"))).toBe(0x0102);
    expect(muxMessageChannel("in", "nope")).toBeNull();
  });
});

describe("checkServiceParams", () => {
  const service = (name: string) => {
    const found = findMuxService(name);
    if (!found) throw new Error(name);
    return found;
  };

  it("fills defaults and keeps valid values", () => {
    expect(checkServiceParams(service("counter"), { count: 3 })).toEqual({
      ok: true,
      values: { count: 3, interval: 200 },
    });
    expect(checkServiceParams(service("chat"), {})).toEqual({
      ok: true,
      values: { room: "lobby" },
    });
    expect(checkServiceParams(service("echo"), {})).toEqual({ ok: true, values: {} });
  });

  it.each([
    ["clock", { interval: 49 }, "interval must be an integer from 50–60000, not 49"],
    ["clock", { interval: "100" }, 'interval must be an integer from 50–60000, not "100"'],
    ["counter", { count: 0 }, "count must be an integer from 1–10000, not 0"],
    ["chat", { room: "" }, "room must be a string of 1–64 characters"],
    ["echo", { x: 1 }, 'echo takes no params, not "x"'],
    ["clock", { speed: 1 }, 'clock takes interval, not "speed"'],
  ])("%s %j is refused: %s", (name, params, reason) => {
    expect(checkServiceParams(service(name), params)).toEqual({ ok: false, reason });
  });
});
