import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

/** What `os.networkInterfaces()` returns; a parameter so tests can describe any machine. */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** True for a bind address that listens on every interface of the machine. */
export function isWildcardAddress(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "";
}

/** Every address of every interface, loopback and IPv6 included: what a request may be sent to. */
export function machineAddresses(interfaces: InterfaceTable = networkInterfaces()): string[] {
  return Object.values(interfaces).flatMap((infos) => (infos ?? []).map((info) => info.address));
}

/**
 * The IPv4 addresses other machines can reach this one at (internal ones left out): the URLs
 * to give attendees. IPv6 is left out as a browser's address bar needs brackets and most
 * LAN addresses of that family are link-local, which browsers cannot open.
 */
export function lanIPv4Addresses(interfaces: InterfaceTable = networkInterfaces()): string[] {
  return Object.values(interfaces).flatMap((infos) =>
    (infos ?? [])
      .filter((info) => info.family === "IPv4" && !info.internal)
      .map((info) => info.address),
  );
}
