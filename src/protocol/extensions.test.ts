import { describe, expect, it } from "vitest";
import {
  deflateAgreement,
  formatDeflateParams,
  parseExtensionHeader,
  parseExtensions,
  readDeflateParams,
} from "./extensions.ts";

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

describe("parseExtensionHeader", () => {
  const offers = (header: string) => {
    const result = parseExtensionHeader(header);
    return result.ok ? result.offers : result.reason;
  };

  it("keeps every offer and parameter in order, repeats included", () => {
    expect(offers("permessage-deflate; client_max_window_bits, permessage-deflate")).toEqual([
      { name: "permessage-deflate", params: [["client_max_window_bits", true]] },
      { name: "permessage-deflate", params: [] },
    ]);
    expect(offers("a; x=1; x=2")).toEqual([
      {
        name: "a",
        params: [
          ["x", "1"],
          ["x", "2"],
        ],
      },
    ]);
  });

  it("unquotes quoted-string values with their escapes", () => {
    expect(offers('x; a="1\\0"')).toEqual([{ name: "x", params: [["a", "10"]] }]);
  });

  it("refuses what RFC 6455 §9.1's grammar does not allow", () => {
    for (const bad of ["", "permessage-deflate;", "a,,b", 'x; a="open', "x; a=", "p d", "x; (y)"]) {
      expect(parseExtensionHeader(bad).ok, bad).toBe(false);
    }
  });
});

describe("readDeflateParams", () => {
  const read = (header: string) => {
    const parsed = parseExtensionHeader(header);
    if (!parsed.ok) throw new Error(parsed.reason);
    return readDeflateParams(parsed.offers[0]?.params ?? []);
  };
  const reason = (header: string) => {
    const result = read(header);
    return result.ok ? "accepted" : result.reason;
  };

  it("reads the four parameters", () => {
    expect(
      read(
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits",
      ),
    ).toEqual({
      ok: true,
      params: {
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 10,
        clientMaxWindowBits: true,
      },
    });
    expect(read('permessage-deflate; client_max_window_bits="9"')).toMatchObject({
      params: { clientMaxWindowBits: 9 },
    });
  });

  it("takes 8 as a valid value: what to do with it is the server's choice", () => {
    expect(read("permessage-deflate; server_max_window_bits=8")).toMatchObject({
      params: { serverMaxWindowBits: 8 },
    });
  });

  it("refuses leading zeros, hex, signs and values out of range", () => {
    for (const value of ["010", "0x0a", "+9", "7", "16", "1e1", "10.0", ""]) {
      expect(reason(`permessage-deflate; server_max_window_bits="${value}"`)).toContain(
        "not a plain decimal",
      );
    }
    expect(reason("permessage-deflate; client_max_window_bits=09")).toContain(
      "not a plain decimal",
    );
  });

  it("refuses duplicates, unknown parameters and values on flags", () => {
    expect(reason("permessage-deflate; client_max_window_bits; client_max_window_bits=10")).toBe(
      "client_max_window_bits is given more than once (§7.1)",
    );
    expect(reason("permessage-deflate; x_window=1")).toContain("unknown parameter x_window");
    expect(reason("permessage-deflate; server_no_context_takeover=1")).toContain("takes no value");
    expect(reason("permessage-deflate; server_max_window_bits")).toContain("needs a value");
  });

  it("requires a value for client_max_window_bits in an answer", () => {
    const parsed = parseExtensionHeader("permessage-deflate; client_max_window_bits");
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(readDeflateParams(parsed.offers[0]?.params ?? [], "answer").ok).toBe(false);
  });
});

describe("formatDeflateParams", () => {
  it("writes parameters in RFC 7692's order and round-trips", () => {
    const header =
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=12";
    const parsed = parseExtensionHeader(header);
    if (!parsed.ok) throw new Error(parsed.reason);
    const read = readDeflateParams(parsed.offers[0]?.params ?? []);
    if (!read.ok) throw new Error(read.reason);
    expect(formatDeflateParams(read.params)).toBe(header);
    expect(
      formatDeflateParams({
        serverNoContextTakeover: false,
        clientNoContextTakeover: false,
        clientMaxWindowBits: true,
      }),
    ).toBe("permessage-deflate; client_max_window_bits");
  });
});
