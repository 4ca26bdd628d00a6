import { describe, expect, it } from "vitest";
import { buildPayload, prettyJson } from "./composer-payload.ts";

describe("buildPayload", () => {
  it("sends text as text and counts UTF-8 bytes", () => {
    expect(buildPayload("text", "héllo")).toEqual({ ok: true, payload: "héllo", bytes: 6 });
  });

  it("validates JSON", () => {
    expect(buildPayload("json", '{"a":1}')).toMatchObject({ ok: true, payload: '{"a":1}' });
    const bad = buildPayload("json", "{a:1}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^Not valid JSON: /);
  });

  it("turns hex and base64 into bytes", () => {
    expect(buildPayload("hex", "de ad")).toEqual({
      ok: true,
      payload: new Uint8Array([0xde, 0xad]),
      bytes: 2,
    });
    expect(buildPayload("base64", "3q0=")).toEqual({
      ok: true,
      payload: new Uint8Array([0xde, 0xad]),
      bytes: 2,
    });
    expect(buildPayload("hex", "zz")).toMatchObject({ ok: false });
  });
});

describe("prettyJson", () => {
  it("indents valid JSON and leaves the rest alone", () => {
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson("{oops")).toBe("{oops");
  });
});
