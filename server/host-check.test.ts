import { describe, expect, it } from "vitest";
import {
  canonicalHostname,
  createHostCheck,
  type HostPolicy,
  hostRefusal,
  isHostAllowed,
  isRebindingProofHost,
  parseAllowedHosts,
  parseHostHeader,
} from "./host-check.ts";

const local: HostPolicy = { boundHost: "127.0.0.1", lanAddresses: [], allowedHosts: [] };
const lan: HostPolicy = {
  boundHost: "0.0.0.0",
  lanAddresses: ["127.0.0.1", "::1", "192.168.1.20", "fe80::a00:27ff:fe4e:66a1"],
  allowedHosts: [],
};

describe("parseHostHeader", () => {
  it.each([
    ["localhost", "localhost", undefined],
    ["LOCALHOST:8000", "localhost", 8000],
    ["127.0.0.1:8000", "127.0.0.1", 8000],
    ["127.1", "127.0.0.1", undefined],
    ["[::1]:8000", "::1", 8000],
    ["[0:0:0:0:0:0:0:1]", "::1", undefined],
    ["example.com.", "example.com", undefined],
  ])("%s → %s port %s", (header, hostname, port) => {
    expect(parseHostHeader(header)).toEqual({ hostname, port });
  });

  it.each([
    "",
    "evil.example@127.0.0.1",
    "127.0.0.1/path",
    "::1",
    "[not-ipv6]",
    "host:99999",
    "host:",
    "a b",
    ".",
  ])("refuses %j", (header) => {
    expect(parseHostHeader(header)).toBeUndefined();
  });
});

describe("canonicalHostname", () => {
  it("writes addresses as the URL standard does", () => {
    expect(canonicalHostname("FE80:0:0:0:A00:27FF:FE4E:66A1")).toBe("fe80::a00:27ff:fe4e:66a1");
    expect(canonicalHostname("[::1]")).toBe("::1");
    expect(canonicalHostname("a:80")).toBeUndefined();
  });
});

describe("isHostAllowed", () => {
  it("lets in loopback names on any port: a forwarder (Vite's proxy, docker -p) shows its own", () => {
    for (const host of [
      "localhost:8000",
      "localhost:5173",
      "localhost",
      "app.localhost:8000",
      "127.0.0.1:8000",
      "127.8.9.10",
      "[::1]:8000",
    ]) {
      expect(isHostAllowed(host, local), host).toBe(true);
    }
  });

  it("refuses a rebinding page's name, with or without a port", () => {
    expect(isHostAllowed("rebind.attacker.example", local)).toBe(false);
    expect(isHostAllowed("rebind.attacker.example:8000", local)).toBe(false);
    expect(isHostAllowed("localhost.attacker.example", local)).toBe(false);
    expect(isHostAllowed("127.0.0.1.nip.io:8000", local)).toBe(false);
    expect(isHostAllowed("rebind.attacker.example", lan)).toBe(false);
  });

  it("refuses a malformed Host and allows a request without one", () => {
    expect(isHostAllowed("evil.example@127.0.0.1", local)).toBe(false);
    expect(isHostAllowed(undefined, local)).toBe(true);
  });

  it("lets in the bound address", () => {
    const bound = { ...local, boundHost: "192.168.1.20" };
    expect(isHostAllowed("192.168.1.20:8000", bound)).toBe(true);
    expect(isHostAllowed("192.168.1.21:8000", bound)).toBe(false);
    expect(isHostAllowed("[fe80::1]:8000", { ...local, boundHost: "FE80::1" })).toBe(true);
  });

  it("lets in the machine's addresses only when bound to every interface", () => {
    expect(isHostAllowed("192.168.1.20:8000", lan)).toBe(true);
    expect(isHostAllowed("[fe80::a00:27ff:fe4e:66a1]:8000", lan)).toBe(true);
    expect(isHostAllowed("192.168.1.99:8000", lan)).toBe(false);
    expect(isHostAllowed("192.168.1.20:8000", { ...lan, boundHost: "::" })).toBe(true);
    expect(isHostAllowed("192.168.1.20:8000", { ...lan, boundHost: "127.0.0.1" })).toBe(false);
  });

  it("lets in ALLOWED_HOSTS: names, .domains and *", () => {
    const policy = (allowed: string) => {
      const parsed = parseAllowedHosts(allowed);
      if (!parsed.ok) throw new Error(parsed.error);
      return { ...local, allowedHosts: parsed.hosts };
    };
    expect(isHostAllowed("playground.lan:8000", policy("playground.lan"))).toBe(true);
    expect(isHostAllowed("other.lan:8000", policy("playground.lan"))).toBe(false);
    expect(isHostAllowed("a.b.workshop.example", policy(".workshop.example"))).toBe(true);
    expect(isHostAllowed("workshop.example", policy(".workshop.example"))).toBe(true);
    expect(isHostAllowed("evilworkshop.example", policy(".workshop.example"))).toBe(false);
    expect(isHostAllowed("anything.example", policy("*"))).toBe(true);
  });
});

describe("createHostCheck", () => {
  it("reads the interfaces again when a Host is not among the addresses it knows", () => {
    let addresses = ["127.0.0.1"];
    let reads = 0;
    const check = createHostCheck({
      boundHost: "0.0.0.0",
      allowedHosts: [],
      readAddresses: () => {
        reads += 1;
        return addresses;
      },
    });
    expect(check("10.0.0.5:8000")).toBe(false);
    addresses = ["127.0.0.1", "10.0.0.5"];
    expect(check("10.0.0.5:8000")).toBe(true);
    const readsSoFar = reads;
    expect(check("10.0.0.5:8000")).toBe(true);
    expect(reads).toBe(readsSoFar);
  });

  it("never reads interfaces when bound to one address", () => {
    const check = createHostCheck({
      boundHost: "127.0.0.1",
      allowedHosts: [],
      readAddresses: () => {
        throw new Error("read");
      },
    });
    expect(check("10.0.0.5:8000")).toBe(false);
    expect(check("localhost:8000")).toBe(true);
  });
});

describe("isRebindingProofHost", () => {
  it("holds for loopback names and IP literals only", () => {
    expect(isRebindingProofHost("localhost:8000")).toBe(true);
    expect(isRebindingProofHost("10.1.2.3:8000")).toBe(true);
    expect(isRebindingProofHost("[fe80::1]:8000")).toBe(true);
    expect(isRebindingProofHost("rebind.attacker.example:8000")).toBe(false);
  });
});

describe("hostRefusal", () => {
  it("is a 421 with a one-line reason naming the Host and the way out", () => {
    const { status, reason } = hostRefusal("rebind.attacker.example:8000");
    expect(status).toBe(421);
    expect(reason).toContain("Host rebind.attacker.example:8000 does not name this server");
    expect(reason).toContain("ALLOWED_HOSTS");
    expect(reason).not.toContain("\n");
    expect(hostRefusal("x".repeat(5000)).reason.length).toBeLessThan(400);
  });
});

describe("parseAllowedHosts", () => {
  it("canonicalises entries and drops ports", () => {
    expect(parseAllowedHosts(" Playground.LAN:8000, .Workshop.example ,[::1],*, 10.0.0.1")).toEqual(
      { ok: true, hosts: ["playground.lan", ".workshop.example", "::1", "*", "10.0.0.1"] },
    );
    expect(parseAllowedHosts(undefined)).toEqual({ ok: true, hosts: [] });
    expect(parseAllowedHosts("FE80:0::1, [fe80::2]:8000")).toEqual({
      ok: true,
      hosts: ["fe80::1", "fe80::2"],
    });
  });

  it("names the entry it cannot read", () => {
    expect(parseAllowedHosts("ok.example, http://bad.example/")).toEqual({
      ok: false,
      error: "'http://bad.example/' is not a host name: give names, IP addresses, .domain or *.",
    });
    expect(parseAllowedHosts(".10.0.0.1").ok).toBe(false);
  });
});
