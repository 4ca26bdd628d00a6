import { describe, expect, it } from "vitest";
import { type DeflatePolicy, negotiateDeflate } from "./permessage-deflate-offer.ts";

const answer = (header: string | undefined, policy: DeflatePolicy = {}) => {
  const result = negotiateDeflate(header, policy);
  return result.kind === "accepted" ? result.header : result.kind;
};

describe("negotiateDeflate", () => {
  it("answers the browser's fixed offer, limiting the client's window only when asked", () => {
    const browser = "permessage-deflate; client_max_window_bits";
    expect(answer(browser)).toBe("permessage-deflate");
    expect(answer(browser, { clientMaxWindowBits: 10, serverMaxWindowBits: 11 })).toBe(
      "permessage-deflate; server_max_window_bits=11; client_max_window_bits=10",
    );
    expect(answer(browser, { serverNoContextTakeover: true, clientNoContextTakeover: true })).toBe(
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
    );
  });

  it("answers no larger window than the client asked for", () => {
    expect(
      answer("permessage-deflate; server_max_window_bits=10", { serverMaxWindowBits: 12 }),
    ).toBe("permessage-deflate; server_max_window_bits=10");
    expect(
      answer("permessage-deflate; client_max_window_bits=12", { clientMaxWindowBits: 9 }),
    ).toBe("permessage-deflate; client_max_window_bits=9");
    expect(answer("permessage-deflate; client_max_window_bits=12")).toBe(
      "permessage-deflate; client_max_window_bits=12",
    );
  });

  it("says why the query's client window was not sent to a client that did not offer one", () => {
    const result = negotiateDeflate("permessage-deflate", { clientMaxWindowBits: 9 });
    expect(result).toMatchObject({ kind: "accepted", header: "permessage-deflate" });
    expect(result.kind === "accepted" && result.notes[0]).toContain("did not offer");
  });

  it("never names a window of 8", () => {
    expect(negotiateDeflate("permessage-deflate; server_max_window_bits=8", {})).toMatchObject({
      kind: "declined",
      declined: [expect.stringContaining("server_max_window_bits=8 declined")],
    });
    const hint = negotiateDeflate("permessage-deflate; client_max_window_bits=8", {
      clientMaxWindowBits: 12,
    });
    expect(hint).toMatchObject({ kind: "accepted", header: "permessage-deflate" });
    expect(hint.kind === "accepted" && hint.notes[0]).toContain(
      "client_max_window_bits=8 left out",
    );
  });

  it("takes the first acceptable offer and says why earlier ones were declined", () => {
    const result = negotiateDeflate(
      "permessage-deflate; server_max_window_bits=010, permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=9",
      {},
    );
    expect(result).toMatchObject({
      kind: "accepted",
      header: "permessage-deflate; server_max_window_bits=9",
      declined: [
        expect.stringMatching(/^offer 1: server_max_window_bits=010 is not a plain decimal/),
        expect.stringMatching(/^offer 2: server_max_window_bits=8 declined/),
      ],
    });
  });

  it("declines invalid offers instead of failing the handshake", () => {
    for (const header of [
      "permessage-deflate; server_max_window_bits=0x0a",
      "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
      "permessage-deflate; mystery",
      "permessage-deflate; client_max_window_bits=16",
      'permessage-deflate; server_max_window_bits="10',
    ]) {
      expect(negotiateDeflate(header, {}).kind, header).toBe("declined");
    }
  });

  it("ignores other extensions and a missing header", () => {
    expect(answer(undefined)).toBe("not-offered");
    expect(answer("x-webkit-deflate-frame")).toBe("not-offered");
    expect(answer("x-foo; a=1, permessage-deflate")).toBe("permessage-deflate");
  });
});
