import { describe, expect, it } from "vitest";
import {
  isSubprotocolToken,
  negotiateSubprotocol,
  parseSubprotocolList,
  responseSubprotocol,
  type SubprotocolPolicy,
  UNOFFERED_FALLBACK,
} from "./subprotocol.ts";

const policy = (overrides: Partial<SubprotocolPolicy> = {}): SubprotocolPolicy => ({
  accept: ["chat.v2", "chat.v1", "json"],
  prefer: "client",
  require: false,
  misbehaveUnoffered: false,
  ...overrides,
});

describe("parseSubprotocolList", () => {
  it("keeps the client's order and drops blanks", () => {
    expect(parseSubprotocolList(" a , b,,c ")).toEqual(["a", "b", "c"]);
    expect(parseSubprotocolList(undefined)).toEqual([]);
    expect(parseSubprotocolList("")).toEqual([]);
  });
});

describe("isSubprotocolToken", () => {
  it("accepts RFC 7230 tokens only", () => {
    expect(isSubprotocolToken("mqtt")).toBe(true);
    expect(isSubprotocolToken("v1.chat+json")).toBe(true);
    expect(isSubprotocolToken("a b")).toBe(false);
    expect(isSubprotocolToken("a,b")).toBe(false);
    expect(isSubprotocolToken("")).toBe(false);
  });
});

describe("negotiateSubprotocol", () => {
  it("picks the client's first accepted subprotocol by default", () => {
    const outcome = negotiateSubprotocol(["json", "chat.v1"], policy());
    expect(outcome).toMatchObject({ kind: "matched", protocol: "json" });
    expect(responseSubprotocol(outcome)).toBe("json");
  });

  it("picks the server's first offered subprotocol with prefer=server", () => {
    const outcome = negotiateSubprotocol(["json", "chat.v1"], policy({ prefer: "server" }));
    expect(outcome).toMatchObject({ kind: "matched", protocol: "chat.v1" });
  });

  it("answers with none when nothing matches and none is required", () => {
    const outcome = negotiateSubprotocol(["mqtt"], policy());
    expect(outcome.kind).toBe("no-match");
    expect(responseSubprotocol(outcome)).toBeNull();
  });

  it("treats no offer as plain WebSocket unless a subprotocol is required", () => {
    expect(negotiateSubprotocol([], policy()).kind).toBe("none-offered");
    const refused = negotiateSubprotocol([], policy({ require: true }));
    expect(refused).toMatchObject({ kind: "refused" });
    expect(refused.kind === "refused" && refused.reason).toContain("offered none");
  });

  it("refuses with a reason naming both lists when required", () => {
    const outcome = negotiateSubprotocol(["mqtt", "stomp"], policy({ require: true }));
    expect(outcome).toEqual({
      kind: "refused",
      reason:
        "No offered subprotocol is accepted here (offered: mqtt, stomp; accepted: chat.v2, chat.v1, json).",
      offered: ["mqtt", "stomp"],
      accepted: ["chat.v2", "chat.v1", "json"],
    });
  });

  it("answers with an unoffered subprotocol when told to misbehave", () => {
    const outcome = negotiateSubprotocol(["chat.v2"], policy({ misbehaveUnoffered: true }));
    expect(outcome).toMatchObject({ kind: "unoffered", protocol: "chat.v1" });
    const all = negotiateSubprotocol(["a"], policy({ accept: ["a"], misbehaveUnoffered: true }));
    expect(all).toMatchObject({ kind: "unoffered", protocol: UNOFFERED_FALLBACK });
  });
});
