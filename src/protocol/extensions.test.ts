import { describe, expect, it } from "vitest";
import { deflateAgreement, parseExtensions } from "./extensions.ts";

describe("parseExtensions", () => {
  it("parses names, flags and values", () => {
    expect(
      parseExtensions(
        'permessage-deflate; client_max_window_bits; server_max_window_bits="10", x-foo',
      ),
    ).toEqual([
      {
        name: "permessage-deflate",
        params: { client_max_window_bits: true, server_max_window_bits: "10" },
      },
      { name: "x-foo", params: {} },
    ]);
    expect(parseExtensions("")).toEqual([]);
  });
});

describe("deflateAgreement", () => {
  it("reads both directions' context and window", () => {
    expect(
      deflateAgreement("permessage-deflate; server_no_context_takeover; client_max_window_bits=9"),
    ).toEqual({
      serverNoContextTakeover: true,
      clientNoContextTakeover: false,
      serverMaxWindowBits: 15,
      clientMaxWindowBits: 9,
    });
    expect(deflateAgreement("x-other")).toBeUndefined();
  });
});
