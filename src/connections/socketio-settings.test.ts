import { describe, expect, it } from "vitest";
import {
  binaryArgumentSummary,
  describeEventArguments,
  eventArgumentBytes,
  parseAuthPayload,
  parseEventArguments,
  parseEventNameList,
  parseNamespaceList,
} from "./socketio-settings.ts";

describe("parseNamespaceList", () => {
  it("adds the leading slash, drops blanks and duplicates, keeps the order", () => {
    expect(parseNamespaceList("/, chat, /news, /chat,,")).toEqual(["/", "/chat", "/news"]);
  });
  it("falls back to the main namespace", () => {
    expect(parseNamespaceList(" , ")).toEqual(["/"]);
  });
});

describe("parseEventArguments", () => {
  it("reads JSON values separated by commas", () => {
    expect(parseEventArguments('"lobby", 2, {"a": [1]}')).toEqual({
      ok: true,
      args: ["lobby", 2, { a: [1] }],
    });
  });
  it("reads no arguments from empty text", () => {
    expect(parseEventArguments("  ")).toEqual({ ok: true, args: [] });
  });
  it("sends text that is not JSON as one string, as typed, and says so", () => {
    expect(parseEventArguments("Hello, Server!")).toEqual({
      ok: true,
      args: ["Hello, Server!"],
      asText: true,
    });
    expect(parseEventArguments("true story")).toEqual({
      ok: true,
      args: ["true story"],
      asText: true,
    });
  });
  it("keeps text that starts like JSON an error, so that a typo is shown, not sent", () => {
    expect(parseEventArguments('{"a": 1').ok).toBe(false);
    expect(parseEventArguments('"a", b').ok).toBe(false);
  });
  it("still names the wrong argument when the text holds a binary one", () => {
    const parsed = parseEventArguments("Hello, hex:zz");
    expect(parsed.ok).toBe(false);
  });
});

describe("parseEventArguments with binary", () => {
  it("reads hex: and base64: arguments as bytes, between JSON ones", () => {
    const parsed = parseEventArguments('"a", hex:01 02 ff, base64:AQL/, {"b": [1, 2]}');
    expect(parsed).toEqual({
      ok: true,
      args: ["a", new Uint8Array([1, 2, 0xff]), new Uint8Array([1, 2, 0xff]), { b: [1, 2] }],
    });
    if (parsed.ok) expect(parsed.args[1]).toBeInstanceOf(Uint8Array);
  });
  it("keeps commas inside JSON strings, arrays and objects", () => {
    expect(parseEventArguments('"x, y", [1, 2], {"a": "}, ["}')).toEqual({
      ok: true,
      args: ["x, y", [1, 2], { a: "}, [" }],
    });
  });
  it("reads an escaped quote inside a string", () => {
    expect(parseEventArguments('"say \\"hi\\", ok", 1')).toEqual({
      ok: true,
      args: ['say "hi", ok', 1],
    });
  });
  it("names the argument that is wrong", () => {
    const odd = parseEventArguments('"a", hex:0');
    expect(odd.ok).toBe(false);
    if (!odd.ok) expect(odd.reason).toMatch(/^Argument 2 \(binary\): Hex needs two digits/);
    const empty = parseEventArguments('"a",');
    expect(empty).toEqual({ ok: false, reason: "Argument 2 is empty." });
  });
  it("reads an empty hex: argument as zero bytes", () => {
    expect(parseEventArguments("hex:")).toEqual({ ok: true, args: [new Uint8Array(0)] });
  });
});

describe("describeEventArguments", () => {
  it("shows JSON, and binary by its size and bytes in hex", () => {
    expect(describeEventArguments(["Hi", { n: 1 }, new Uint8Array([1, 2, 0xff])])).toBe(
      '"Hi", {"n":1}, <binary 3 bytes: 01 02 ff>',
    );
  });
  it("reads an ArrayBuffer (what the browser client receives) and nested binary", () => {
    const buffer = new Uint8Array([0xca, 0xfe]).buffer;
    expect(describeEventArguments([buffer, { file: new Uint8Array([7]) }])).toBe(
      '<binary 2 bytes: ca fe>, {"file":"<binary 1 byte: 07>"}',
    );
  });
  it("cuts long binary short but gives its whole size", () => {
    expect(describeEventArguments([new Uint8Array(40)])).toMatch(
      /^<binary 40 bytes: (00 ){31}00 …>$/,
    );
    expect(describeEventArguments([new Uint8Array(0)])).toBe("<binary 0 bytes>");
  });
});

describe("eventArgumentBytes and binaryArgumentSummary", () => {
  it("counts JSON text and binary bytes", () => {
    const args = ["Hello", new Uint8Array(3)];
    expect(eventArgumentBytes(args)).toBe(7 + 3);
    expect(binaryArgumentSummary(args)).toEqual({ count: 1, bytes: 3 });
  });
});

describe("parseAuthPayload", () => {
  it("sends no auth for empty text", () => {
    expect(parseAuthPayload("  ")).toEqual({ ok: true, auth: undefined });
  });
  it("reads a JSON object", () => {
    expect(parseAuthPayload('{"token": "abc"}')).toEqual({ ok: true, auth: { token: "abc" } });
  });
  it("refuses JSON that is not an object, and text that is not JSON", () => {
    expect(parseAuthPayload("[1]").ok).toBe(false);
    expect(parseAuthPayload('"abc"').ok).toBe(false);
    expect(parseAuthPayload("null").ok).toBe(false);
    expect(parseAuthPayload("{token}").ok).toBe(false);
  });
});

describe("parseEventNameList", () => {
  it("trims, drops blanks and duplicates, keeps the order", () => {
    expect(parseEventNameList(" message, said,, tick ,message")).toEqual([
      "message",
      "said",
      "tick",
    ]);
  });
});
