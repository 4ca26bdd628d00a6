import { Worker } from "node:worker_threads";

export interface EchoRun {
  messagesPerSecond: number;
  megabytesPerSecond: number;
}

/**
 * Round-trip throughput of an echo endpoint: a client in a worker thread keeps `window`
 * messages in flight and counts echoes until `messages` have come back.
 */
export async function measureEcho(
  url: string,
  { messages, size, window }: { messages: number; size: number; window: number },
): Promise<EchoRun> {
  const worker = new Worker(new URL("./echo-client-worker.mjs", import.meta.url), {
    workerData: { url, messages, size, window },
  });
  try {
    const result = await new Promise<{ seconds?: number; error?: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (result.seconds === undefined) throw new Error(result.error ?? "echo client failed");
    return {
      messagesPerSecond: messages / result.seconds,
      megabytesPerSecond: (messages * size * 2) / result.seconds / 1e6,
    };
  } finally {
    await worker.terminate();
  }
}

type Server = "bare" | "off" | "on";

export interface EchoRounds {
  rounds: number;
  /** Messages per second of each round, per server. */
  rates: Record<Server, number[]>;
  /** CPU time of the server's process per round trip (µs), each round, per server. */
  cpuMicros: Record<Server, number[]>;
}

/**
 * The three servers (bare `ws`, playground with the tap off, with the tap on), each in its
 * own process, run interleaved round by round with the order alternating, so that drift on a
 * shared machine hits all alike and none always runs right after another.
 */
export async function runEchoRounds(
  servers: { bare: EchoServer; playground: EchoServer },
  options: { messages: number; size: number; window: number; rounds: number },
): Promise<EchoRounds> {
  const { bare, playground } = servers;
  const wsBase = playground.url.replace(/^http/, "ws");
  let tapNumber = 0;
  const target = (key: Server): { url: string; server: EchoServer } => {
    if (key === "bare") return { url: `${bare.url}/`, server: bare };
    if (key === "off") return { url: `${wsBase}/echo`, server: playground };
    tapNumber += 1;
    return { url: `${wsBase}/echo?tap=bench-tap-${tapNumber}`, server: playground };
  };
  for (const key of ["bare", "off", "on"] as const) {
    await measureEcho(target(key).url, {
      ...options,
      messages: Math.min(10_000, options.messages),
    });
  }
  const result: EchoRounds = {
    rounds: options.rounds,
    rates: { bare: [], off: [], on: [] },
    cpuMicros: { bare: [], off: [], on: [] },
  };
  for (let round = 0; round < options.rounds; round += 1) {
    const order: Server[] = round % 2 === 0 ? ["bare", "off", "on"] : ["on", "off", "bare"];
    for (const key of order) {
      const { url, server } = target(key);
      const cpuBefore = await server.cpuMicros();
      const run = await measureEcho(url, options);
      const cpu = (await server.cpuMicros()) - cpuBefore;
      result.rates[key].push(run.messagesPerSecond);
      result.cpuMicros[key].push(cpu / options.messages);
    }
  }
  return result;
}

export interface EchoServer {
  url: string;
  /** CPU time its process has used so far, in µs. */
  cpuMicros(): Promise<number>;
}

export const median = (list: number[]): number =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;

/**
 * Each round's ratio compares runs seconds apart; their median resists the drift of a
 * shared machine better than a ratio of two medians.
 */
export function pairedRatio(rounds: EchoRounds, key: "off" | "on"): number {
  return median(
    rounds.rates[key].map((rate, index) => rate / (rounds.rates.bare[index] ?? Number.NaN)),
  );
}
