/**
 * The services a `mux.v1` channel can open on `/mux`, with their parameters: the server checks
 * every `open` against this table and the page builds its "Open channel" form from it. Pure.
 */

export interface MuxServiceParam {
  name: string;
  type: "integer" | "string";
  default: number | string;
  /** integer: smallest and largest value; string: shortest and longest length. */
  min: number;
  max: number;
  description: string;
}

export interface MuxServiceSpec {
  name: string;
  description: string;
  /** Whether the channel takes data from the client (clock and counter only send). */
  takesData: boolean;
  params: readonly MuxServiceParam[];
}

/** The shortest clock or counter interval: 256 channels at 50 ms is 5,120 messages/s, bounded. */
export const MIN_INTERVAL_MS = 50;
export const MAX_INTERVAL_MS = 60_000;
export const MAX_COUNT = 10_000;
export const MAX_ROOM_NAME = 64;
/** Channels one chat room holds, across connections: a message is copied to each. */
export const MAX_ROOM_MEMBERS = 256;
/** Bytes of one chat message's data (its JSON, or a binary payload): it is copied to each member. */
export const MAX_CHAT_MESSAGE_BYTES = 64 * 1024;

const interval = (defaultMs: number, what: string): MuxServiceParam => ({
  name: "interval",
  type: "integer",
  default: defaultMs,
  min: MIN_INTERVAL_MS,
  max: MAX_INTERVAL_MS,
  description: `Milliseconds between ${what} (${MIN_INTERVAL_MS}–${MAX_INTERVAL_MS}).`,
});

export const MUX_SERVICES = [
  {
    name: "echo",
    description: "Sends each data message back on its channel, unchanged (binary stays binary).",
    takesData: true,
    params: [],
  },
  {
    name: "clock",
    description: "Sends the time every interval: {tick, at} with at in ms since the epoch.",
    takesData: false,
    params: [interval(1000, "ticks")],
  },
  {
    name: "chat",
    description:
      "Every data message goes to every channel in the room, on every connection to this server (yours included).",
    takesData: true,
    params: [
      {
        name: "room",
        type: "string",
        default: "lobby",
        min: 1,
        max: MAX_ROOM_NAME,
        description: `The room's name (1–${MAX_ROOM_NAME} characters), shared by everyone on this server.`,
      },
    ],
  },
  {
    name: "counter",
    description: "Sends 1, 2, … count, one every interval, then closes the channel.",
    takesData: false,
    params: [
      {
        name: "count",
        type: "integer",
        default: 10,
        min: 1,
        max: MAX_COUNT,
        description: `How far to count (1–${MAX_COUNT}).`,
      },
      interval(200, "numbers"),
    ],
  },
] as const satisfies readonly MuxServiceSpec[];

export type MuxServiceName = (typeof MUX_SERVICES)[number]["name"];

export function findMuxService(name: string): MuxServiceSpec | undefined {
  return MUX_SERVICES.find((service) => service.name === name);
}

export type MuxServiceParams = Record<string, number | string>;

/**
 * Checks an `open`'s params against the service's: every value present, of its type and in
 * range, defaults filled in, unknown names refused. The reason names the parameter.
 */
export function checkServiceParams(
  service: MuxServiceSpec,
  params: Record<string, unknown>,
): { ok: true; values: MuxServiceParams } | { ok: false; reason: string } {
  const known = new Set(service.params.map((param) => param.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      const takes =
        service.params.length === 0
          ? "takes no params"
          : `takes ${service.params.map((param) => param.name).join(", ")}`;
      return { ok: false, reason: `${service.name} ${takes}, not "${name.slice(0, 32)}"` };
    }
  }
  const values: MuxServiceParams = {};
  for (const param of service.params) {
    const value = params[param.name] ?? param.default;
    const range = `${param.min}–${param.max}`;
    if (param.type === "integer") {
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < param.min ||
        value > param.max
      ) {
        return {
          ok: false,
          reason: `${param.name} must be an integer from ${range}, not ${JSON.stringify(value)?.slice(0, 32)}`,
        };
      }
    } else if (typeof value !== "string" || value.length < param.min || value.length > param.max) {
      return { ok: false, reason: `${param.name} must be a string of ${range} characters` };
    }
    values[param.name] = value;
  }
  return { ok: true, values };
}
