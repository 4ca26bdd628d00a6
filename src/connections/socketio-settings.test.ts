import { describe, expect, it } from "vitest";
import {
  describeEventArguments,
  parseEventArguments,
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
  it("refuses text that is not JSON, and says so", () => {
    const parsed = parseEventArguments("Hello");
    expect(parsed.ok).toBe(false);
  });
});

describe("describeEventArguments", () => {
  it("shows JSON, and binary by its size", () => {
    expect(describeEventArguments(["Hi", { n: 1 }, new Uint8Array(3)])).toBe(
      '"Hi", {"n":1}, "<binary 3 bytes>"',
    );
  });
});
