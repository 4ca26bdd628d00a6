import { describe, expect, it } from "vitest";
import { createHostCheck } from "./host-check.ts";
import { isOriginAllowed, parseAllowedOrigins } from "./origin.ts";

const serverCheck = createHostCheck({ boundHost: "127.0.0.1", allowedHosts: [] });

describe("isOriginAllowed", () => {
  it("lets in the page's own origin under a Host that names this server", () => {
    expect(isOriginAllowed("http://127.0.0.1:8000", "127.0.0.1:8000", [], serverCheck)).toBe(true);
    expect(isOriginAllowed("http://LOCALHOST:8000", "localhost:8000", [], serverCheck)).toBe(true);
  });

  it("refuses a DNS-rebinding page even though its Origin and Host agree", () => {
    const rebound = [
      "http://rebind.attacker.example:8000",
      "rebind.attacker.example:8000",
    ] as const;
    expect(isOriginAllowed(...rebound, [], serverCheck)).toBe(false);
    // Without the server's check, only names no DNS answer can move count as the page's own.
    expect(isOriginAllowed(...rebound, [])).toBe(false);
    expect(isOriginAllowed("http://rebind.attacker.example", "rebind.attacker.example", [])).toBe(
      false,
    );
  });

  it("lets in the page's own origin under a name ALLOWED_HOSTS adds", () => {
    const check = createHostCheck({ boundHost: "127.0.0.1", allowedHosts: ["playground.lan"] });
    expect(isOriginAllowed("http://playground.lan:8000", "playground.lan:8000", [], check)).toBe(
      true,
    );
  });

  it("refuses a foreign origin, an unreadable one and one without a Host", () => {
    expect(isOriginAllowed("http://evil.example", "127.0.0.1:8000", [], serverCheck)).toBe(false);
    expect(isOriginAllowed("http://127.0.0.1:9999", "127.0.0.1:8000", [], serverCheck)).toBe(false);
    expect(isOriginAllowed("null", "127.0.0.1:8000", [], serverCheck)).toBe(false);
    expect(isOriginAllowed("http://127.0.0.1:8000", undefined, [], serverCheck)).toBe(false);
  });

  it("lets in clients without an Origin and the ALLOWED_ORIGINS, whatever the Host", () => {
    expect(isOriginAllowed(undefined, "rebind.attacker.example", [], serverCheck)).toBe(true);
    const allowed = ["http://tools.example"];
    expect(isOriginAllowed("http://tools.example", "127.0.0.1:8000", allowed, serverCheck)).toBe(
      true,
    );
    expect(isOriginAllowed("http://any.example", "127.0.0.1:8000", ["*"], serverCheck)).toBe(true);
  });
});

describe("parseAllowedOrigins", () => {
  it("splits the list and drops a trailing slash", () => {
    expect(parseAllowedOrigins("http://a.example/, http://b.example:8080")).toEqual([
      "http://a.example",
      "http://b.example:8080",
    ]);
  });
});
