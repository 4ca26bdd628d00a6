import { parseArgs } from "node:util";
import { canonicalHostname, isLoopbackHostname, parseAllowedHosts } from "./host-check.ts";
import { isWildcardAddress } from "./lan-addresses.ts";
import { parseAllowedOrigins } from "./origin.ts";

/** What the command line and the environment ask the CLI to do. */
export type CliCommand =
  | { kind: "help" }
  | { kind: "error"; message: string }
  | { kind: "run"; build: boolean; server: CliServerOptions };

/** The `startServer()` options the command line sets. */
export interface CliServerOptions {
  port: number;
  host: string;
  allowedOrigins: string[];
  allowedHosts: string[];
  maxMessagesPerSecond?: number;
  /**
   * TLS with HTTP/2: `true` for the self-signed certificate made on first use, or the files
   * of a certificate chain and key to read. Absent: plain HTTP/1.1.
   */
  https?: true | { certFile: string; keyFile: string };
}

export interface CliDefaults {
  port: number;
  host: string;
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "allowed-origins": { type: "string" },
  "allowed-hosts": { type: "string" },
  "max-messages-per-second": { type: "string" },
  https: { type: "boolean" },
  cert: { type: "string" },
  key: { type: "string" },
  "no-build": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `--help`: every flag, the environment variable it can come from, and its default. */
export function usage(defaults: CliDefaults): string {
  return `WebSocket Playground: the page, its REST API and every WebSocket endpoint on one port.

Usage: npm start -- [options]      (or: npx tsx server/cli.ts [options])

Each option can also come from the environment variable beside it; a flag wins.
  --port N                PORT             TCP port; 0 picks a free one. Default ${defaults.port}.
  --host ADDR             HOST             Address to bind. Default ${defaults.host} (this
                                           machine only). 0.0.0.0 or :: lets anyone on the
                                           network connect, for a workshop.
  --allowed-origins LIST  ALLOWED_ORIGINS  Origins besides the page's own that may open
                                           WebSockets, comma-separated (http://host:port);
                                           * for any. Default none.
  --allowed-hosts LIST    ALLOWED_HOSTS    Names the Host header may carry besides loopback
                                           names and the addresses the server listens on
                                           (a guard against DNS rebinding), comma-separated;
                                           .example.com for a domain and its subdomains,
                                           * for any. Default none.
  --max-messages-per-second N
                          MAX_MESSAGES_PER_SECOND
                                           Close a connection that sends more than N
                                           messages a second, averaged over a second, with
                                           1008. Default 0: no limit (2000 suits a workshop).
  --https                 HTTPS=1          Serve over TLS with HTTP/2 (WebSockets as streams of
                                           one connection, RFC 8441) and HTTP/1.1 on the same
                                           port, with a self-signed certificate for localhost
                                           made on first use in .cert/. Default off.
  --cert FILE             TLS_CERT         With --key: serve over TLS with this certificate
  --key FILE              TLS_KEY          chain and private key (PEM) instead; implies
                                           --https. Default none.
  --no-build                               Serve dist/app as it is. Default: build the app
                                           first when it is missing or older than its sources.
  -h, --help                               Print this and exit.
`;
}

/** Reads the command line and the environment; never throws, never exits. */
export function parseCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  defaults: CliDefaults,
): CliCommand {
  let values: ReturnType<typeof readArgs>;
  try {
    values = readArgs(args);
  } catch (error) {
    // node's first sentence names the option ("Unknown option '--nope'"); the rest is noise.
    const message = error instanceof Error ? error.message.split(/\.\s|\n/)[0] : String(error);
    return { kind: "error", message: `${message}: see --help.` };
  }
  if (values.help) return { kind: "help" };

  const fail = (message: string): CliCommand => ({
    kind: "error",
    message: `${message}; see --help.`,
  });
  const source = (flag: keyof typeof OPTIONS, variable: string) =>
    values[flag] !== undefined ? `--${flag}` : variable;

  const portText = values.port ?? env.PORT ?? String(defaults.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    return fail(
      `Invalid ${source("port", "PORT")} '${portText}': give a whole number from 0 to 65535`,
    );
  }

  const host = values.host ?? env.HOST ?? defaults.host;
  if (host.trim() === "") return fail(`Invalid ${source("host", "HOST")}: give an address`);

  const originsText = values["allowed-origins"] ?? env.ALLOWED_ORIGINS;
  const allowedOrigins = parseAllowedOrigins(originsText);
  const badOrigin = allowedOrigins.find((origin) => origin !== "*" && !isOrigin(origin));
  if (badOrigin !== undefined) {
    return fail(
      `Invalid ${source("allowed-origins", "ALLOWED_ORIGINS")}: '${badOrigin}' is not an origin (scheme://host[:port], e.g. http://tools.example:3000)`,
    );
  }

  const hosts = parseAllowedHosts(values["allowed-hosts"] ?? env.ALLOWED_HOSTS);
  if (!hosts.ok) {
    return fail(
      `Invalid ${source("allowed-hosts", "ALLOWED_HOSTS")}: ${hosts.error.replace(/\.$/, "")}`,
    );
  }

  const rateText = values["max-messages-per-second"] ?? env.MAX_MESSAGES_PER_SECOND ?? "0";
  if (!/^\d+$/.test(rateText)) {
    return fail(
      `Invalid ${source("max-messages-per-second", "MAX_MESSAGES_PER_SECOND")} '${rateText}': give a whole number (0: no limit)`,
    );
  }

  const httpsText = values.https ? "1" : (env.HTTPS ?? "");
  const httpsOn = HTTPS_ON.has(httpsText.toLowerCase());
  if (!httpsOn && !HTTPS_OFF.has(httpsText.toLowerCase())) {
    return fail(`Invalid HTTPS '${httpsText}': give 1 to serve over TLS, or 0`);
  }
  const certFile = values.cert ?? env.TLS_CERT ?? "";
  const keyFile = values.key ?? env.TLS_KEY ?? "";
  if ((certFile === "") !== (keyFile === "")) {
    const missing = certFile === "" ? "--cert FILE (or TLS_CERT)" : "--key FILE (or TLS_KEY)";
    return fail(`A certificate needs its key and a key its certificate: add ${missing}`);
  }
  const https = certFile !== "" ? { certFile, keyFile } : httpsOn ? (true as const) : undefined;

  return {
    kind: "run",
    build: !values["no-build"],
    server: {
      port,
      host,
      allowedOrigins,
      allowedHosts: hosts.hosts,
      maxMessagesPerSecond: Number(rateText),
      ...(https ? { https } : {}),
    },
  };
}

const HTTPS_ON = new Set(["1", "true", "yes", "on"]);
const HTTPS_OFF = new Set(["", "0", "false", "no", "off"]);

function readArgs(args: readonly string[]) {
  return parseArgs({ args: [...args], options: OPTIONS, strict: true }).values;
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** Why the server could not start, in a sentence that says what to do about it. */
export function listenFailure(error: unknown, port: number, host: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EADDRINUSE":
      return `Port ${port} on ${host} is already in use (another server, or this one started twice). Choose another with --port N or PORT=N (0 picks a free one), or stop what holds it.`;
    case "EACCES":
      return `Port ${port} on ${host} needs privileges this process lacks. Choose a port above 1023 with --port N or PORT=N.`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine. Choose one it has with --host ADDR or HOST=ADDR (0.0.0.0 for all of them).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host name ${host} does not resolve. Choose an address with --host ADDR or HOST=ADDR.`;
    default:
      return `The server could not start on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * What to print once listening: the URL, and for an address other machines can reach, a
 * warning and every URL attendees can open.
 */
export function listeningBanner(
  url: string,
  host: string,
  port: number,
  lanAddresses: readonly string[],
): string {
  const lines = [`WebSocket Playground on ${url}`];
  const scheme = url.startsWith("https:") ? "https" : "http";
  if (isWildcardAddress(host)) {
    lines.push(
      `Warning: listening on every network interface (${host}): anyone on the network can open the playground and connect to its endpoints.`,
    );
    if (lanAddresses.length === 0) {
      lines.push("No LAN address found: this machine is on no network right now.");
    } else {
      lines.push(
        "Attendees can open:",
        ...lanAddresses.map((address) => `  ${scheme}://${address}:${port}`),
      );
    }
  } else if (!isLoopbackHostname(canonicalHostname(host) ?? host)) {
    lines.push(`Warning: listening on ${host}: anyone who can reach that address can connect.`);
  }
  return lines.join("\n");
}
