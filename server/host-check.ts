import { isIP } from "node:net";
import { splitCommaList } from "../src/protocol/comma-list.ts";
import { isWildcardAddress, machineAddresses } from "./lan-addresses.ts";

/**
 * DNS-rebinding guard. A page on rebind.attacker.example can make its own name resolve to
 * 127.0.0.1 after it loaded: the browser then treats this server as that page's origin, and
 * the Origin check alone sees Origin and Host agree. Only the Host header still tells: it
 * carries the attacker's name. So every request (WebSocket, REST, the page) must name this
 * server in its Host.
 *
 * Ports are not compared, as in Vite's and webpack-dev-server's host checks: rebinding needs
 * a name the attacker controls, whatever the port, while a port that differs from the bound
 * one is what a forwarder shows (Vite's dev proxy, `ssh -L`, `docker -p 9000:8000`).
 */

/** The answer to a request whose Host is not this server's; see `hostRefusal`. */
export const MISDIRECTED_REQUEST = 421;

/** Decides whether a request's Host header names this server. */
export type HostCheck = (hostHeader: string | undefined) => boolean;

export interface HostPolicy {
  /** The address the server is bound to (`--host`); any Host naming it is allowed. */
  boundHost: string;
  /** This machine's addresses: allowed when the server is bound to 0.0.0.0 or `::`. */
  lanAddresses: readonly string[];
  /**
   * Further names (ALLOWED_HOSTS): `name`, an IP address, `.example.com` for that domain and
   * its subdomains, or `*` for any Host. Canonical form, as `parseAllowedHosts` returns them.
   */
  allowedHosts: readonly string[];
}

/** A Host header's parts; `hostname` lowercase, IPv6 without brackets, no trailing dot. */
export interface HostHeader {
  hostname: string;
  port: number | undefined;
}

// RFC 9110 §7.2: uri-host [":" port]; a reg-name limited to what DNS names use.
const HOST_HEADER = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/;

/** Parses a Host header; undefined when it is not a plain host with an optional port. */
export function parseHostHeader(value: string): HostHeader | undefined {
  const match = HOST_HEADER.exec(value);
  if (!match) return undefined;
  const [, ipv6, name, portText] = match;
  if (ipv6 !== undefined && isIP(ipv6) !== 6) return undefined;
  const hostname = canonicalHostname(ipv6 ?? name ?? "");
  const port = portText === undefined ? undefined : Number(portText);
  if (hostname === undefined || (port !== undefined && port > 65535)) return undefined;
  return { hostname, port };
}

/**
 * The form names are compared in: lowercase, IPv4 and IPv6 as the URL standard writes them
 * (`127.1` → `127.0.0.1`, `0:0::1` → `::1`), no brackets, no trailing dot.
 */
export function canonicalHostname(name: string): string | undefined {
  const bare = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  const ipv6 = isIP(bare) === 6;
  if (!ipv6 && !/^[A-Za-z0-9._-]+$/.test(bare)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${ipv6 ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return undefined;
  }
  if (ipv6) return hostname.slice(1, -1);
  if (hostname.endsWith(".")) hostname = hostname.slice(0, -1);
  return hostname === "" ? undefined : hostname;
}

/**
 * `localhost`, its subdomains (RFC 6761 §6.3: browsers resolve them to loopback without
 * asking DNS), 127.0.0.0/8 and ::1.
 */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (isIP(hostname) === 4) return hostname.startsWith("127.");
  return hostname === "::1";
}

/**
 * Names no DNS answer can move: loopback names and IP literals. A Host like these was typed
 * by someone who meant this address, never planted by a rebinding page.
 */
export function isRebindingProofHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return true;
  const host = parseHostHeader(hostHeader);
  return host !== undefined && (isLoopbackHostname(host.hostname) || isIP(host.hostname) !== 0);
}

/**
 * True when the Host header names this server under `policy`. A request without Host is
 * allowed: browsers always send one, and this guard is about what browsers can be made to do.
 */
export function isHostAllowed(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (hostHeader === undefined) return true;
  const host = parseHostHeader(hostHeader);
  if (!host) return false;
  const { hostname } = host;
  if (isLoopbackHostname(hostname)) return true;
  if (isWildcardAddress(policy.boundHost)) {
    if (policy.lanAddresses.some((address) => canonicalHostname(address) === hostname)) {
      return true;
    }
  } else if (canonicalHostname(policy.boundHost) === hostname) {
    return true;
  }
  return policy.allowedHosts.some((allowed) => matchesAllowedHost(hostname, allowed));
}

function matchesAllowedHost(hostname: string, allowed: string): boolean {
  if (allowed === "*") return true;
  if (allowed.startsWith(".")) return hostname === allowed.slice(1) || hostname.endsWith(allowed);
  return hostname === allowed;
}

/**
 * The server's host check. Bound to 0.0.0.0 or `::`, it looks at the machine's interfaces
 * again when a Host is not among the addresses it knows: a laptop may join the workshop's
 * network after the server started.
 */
export function createHostCheck(options: {
  boundHost: string;
  allowedHosts: readonly string[];
  /** The machine's addresses; default: `os.networkInterfaces()`. */
  readAddresses?: () => readonly string[];
}): HostCheck {
  const { boundHost, allowedHosts } = options;
  const readAddresses = options.readAddresses ?? (() => machineAddresses());
  const wildcard = isWildcardAddress(boundHost);
  let lanAddresses = wildcard ? readAddresses() : [];
  return (hostHeader) => {
    if (isHostAllowed(hostHeader, { boundHost, lanAddresses, allowedHosts })) return true;
    if (!wildcard) return false;
    lanAddresses = readAddresses();
    return isHostAllowed(hostHeader, { boundHost, lanAddresses, allowedHosts });
  };
}

/** The status and one-line reason that refuse a request whose Host is not this server's. */
export function hostRefusal(hostHeader: string): { status: number; reason: string } {
  const shown = hostHeader.length > 100 ? `${hostHeader.slice(0, 100)}…` : hostHeader;
  return {
    status: MISDIRECTED_REQUEST,
    reason: `Host ${shown} does not name this server (a guard against DNS rebinding): open it as localhost, 127.0.0.1 or an address it listens on, or allow that name with --allowed-hosts / ALLOWED_HOSTS.`,
  };
}

/**
 * Parses ALLOWED_HOSTS / `--allowed-hosts`: comma-separated names, IP addresses (IPv6 bare or
 * in brackets),
 * `.example.com` (the domain and its subdomains) or `*`. A port given with a name is dropped,
 * as ports are not compared.
 */
export function parseAllowedHosts(
  value: string | undefined,
): { ok: true; hosts: string[] } | { ok: false; error: string } {
  const hosts: string[] = [];
  for (const entry of splitCommaList(value)) {
    if (entry === "*") {
      hosts.push(entry);
      continue;
    }
    const domain = entry.startsWith(".");
    const name = domain ? entry.slice(1) : entry;
    // An IPv6 address may come bare, as os.networkInterfaces() and people write it.
    const parsed = parseHostHeader(isIP(name) === 6 ? `[${name}]` : name);
    if (!parsed || (domain && isIP(parsed.hostname) !== 0)) {
      return {
        ok: false,
        error: `'${entry}' is not a host name: give names, IP addresses, .domain or *.`,
      };
    }
    hosts.push(domain ? `.${parsed.hostname}` : parsed.hostname);
  }
  return { ok: true, hosts };
}
