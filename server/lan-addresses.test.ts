import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { type InterfaceTable, lanIPv4Addresses, machineAddresses } from "./lan-addresses.ts";

const info = (address: string, family: "IPv4" | "IPv6", internal: boolean) =>
  ({ address, family, internal }) as NetworkInterfaceInfo;

const laptop: InterfaceTable = {
  lo: [info("127.0.0.1", "IPv4", true), info("::1", "IPv6", true)],
  wlan0: [info("192.168.1.20", "IPv4", false), info("fe80::1", "IPv6", false)],
  docker0: [info("172.17.0.1", "IPv4", false)],
  down: undefined,
};

describe("machine addresses", () => {
  it("lists every address for the host check", () => {
    expect(machineAddresses(laptop)).toEqual([
      "127.0.0.1",
      "::1",
      "192.168.1.20",
      "fe80::1",
      "172.17.0.1",
    ]);
  });

  it("lists the external IPv4 addresses attendees can open", () => {
    expect(lanIPv4Addresses(laptop)).toEqual(["192.168.1.20", "172.17.0.1"]);
  });
});
