/** `npm run load`'s command line: every option once, with its default. */
import { parseArgs } from "node:util";

export type TapMode = "on" | "off";

export interface LoadOptions {
  /** WebSocket clients on /echo. Default 1,000. */
  clients: number;
  /** Messages each client sends per second. Default 5. */
  rate: number;
  /** Length of the sending phase in seconds: --seconds, or --duration with --soak. */
  seconds: number;
  /** Tap modes to run, one after the other, each against a fresh server. */
  tapModes: TapMode[];
  /** Bytes in each message (text; at least what the send time needs). Default 64. */
  bytes: number;
  /** Child processes the clients are split between. Default 1. */
  clientProcesses: number;
  /** How long to wait for the last echoes after the last send, in ms. Default 2,000. */
  graceMs: number;
  /** Soak mode: report server RSS every `intervalSeconds`, and its growth. */
  soak: boolean;
  /** Seconds between soak reports. Default 60. */
  intervalSeconds: number;
}

export const HELP = `npm run load -- [options]

Opens N WebSocket clients on 127.0.0.1 against /echo of a server in its own process, each
sending M messages a second for S seconds (each client's sends offset by a random phase, so
the server sees a steady N × M msg/s), and prints opened, failed, sent, echoed, lost
(sent − echoed after a grace period), round-trip p50/p99/max and the server's RSS.
With the tap on, each client opens with its own tap=ID, so the server records every frame.

  --clients N            clients (default 1000)
  --rate M               messages per second per client (default 5)
  --seconds S            seconds of sending (default 10)
  --tap on|off|both      tap mode(s), run one after the other on a fresh server each
                         (default both; with --soak, off)
  --bytes B              bytes per message (default 64)
  --client-processes P   child processes sharing the clients, 1 or more (default 1)
  --grace MS             wait for late echoes after the last send, in ms (default 2000)
  --soak                 soak mode: one long run reporting server RSS every --interval
                         and its growth from the first report to the end (target ≤ 10 %)
  --duration D           soak length: 90s, 10m, 1h or plain seconds (default 10m)
  --interval D           soak report interval (default 60s)
  -h, --help             this text

Targets (issue 7): 1,000 clients × 5 msg/s × 10 s: all connected, 0 lost, p99 RTT < 20 ms;
soak: RSS after 10 minutes within 10 % of after the first minute.
`;

export type ParsedArgs =
  | { kind: "run"; options: LoadOptions }
  | { kind: "help" }
  | { kind: "error"; message: string };

/** Seconds from `90`, `90s`, `10m` or `1h`; undefined when unreadable or not positive. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} wants a whole number ≥ 1, not "${text}"`);
  return value;
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} wants a number > 0, not "${text}"`);
  return value;
}

function duration(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new Error(`--${name} wants a duration like 90s or 10m, not "${text}"`);
  return seconds;
}

export function parseLoadArgs(args: string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        clients: { type: "string" },
        rate: { type: "string" },
        seconds: { type: "string" },
        tap: { type: "string" },
        bytes: { type: "string" },
        "client-processes": { type: "string" },
        grace: { type: "string" },
        soak: { type: "boolean" },
        duration: { type: "string" },
        interval: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };
  const text = (name: string) => values[name] as string | undefined;
  try {
    const soak = values.soak === true;
    if (soak && text("seconds") !== undefined)
      throw new Error("--soak takes --duration, not --seconds");
    if (!soak && (text("duration") !== undefined || text("interval") !== undefined)) {
      throw new Error("--duration and --interval belong to --soak");
    }
    const tap = text("tap") ?? (soak ? "off" : "both");
    if (tap !== "on" && tap !== "off" && tap !== "both") {
      throw new Error(`--tap wants on, off or both, not "${tap}"`);
    }
    const options: LoadOptions = {
      clients: positiveInteger("clients", text("clients"), 1000),
      rate: positiveNumber("rate", text("rate"), 5),
      seconds: soak
        ? duration("duration", text("duration"), 600)
        : positiveNumber("seconds", text("seconds"), 10),
      tapModes: tap === "both" ? ["off", "on"] : [tap],
      bytes: positiveInteger("bytes", text("bytes"), 64),
      clientProcesses: positiveInteger("client-processes", text("client-processes"), 1),
      graceMs: positiveNumber("grace", text("grace"), 2000),
      soak,
      intervalSeconds: duration("interval", text("interval"), 60),
    };
    if (options.clientProcesses > options.clients) {
      throw new Error("--client-processes cannot exceed --clients");
    }
    return { kind: "run", options };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}
