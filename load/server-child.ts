/** The parent's side of load/server-process.ts: start it, sample it, stop it. */
import { createInterface, type Interface } from "node:readline";
import type { ServerReady, ServerSample } from "./child-messages.ts";
import { type Child, startNodeChild, within } from "./children.ts";

const READY_TIMEOUT_MS = 30_000;
const SAMPLE_TIMEOUT_MS = 10_000;

export interface ServerStats {
  connections: number;
  tapCount: number;
  tapBytes: number;
}

export class ServerChild {
  readonly url: string;
  readonly #child: Child;
  readonly #lines: Interface;
  /** Answers come back in the order the questions went out. */
  readonly #waiting: Array<(line: string) => void> = [];

  private constructor(child: Child, lines: Interface, ready: ServerReady) {
    this.#child = child;
    this.#lines = lines;
    this.url = ready.url;
    lines.on("line", (line) => this.#waiting.shift()?.(line));
  }

  static async start(maxConnections: number): Promise<ServerChild> {
    const child = startNodeChild(new URL("./server-process.ts", import.meta.url), [
      "--max-connections",
      String(maxConnections),
    ]);
    const lines = createInterface({ input: child.process.stdout as NodeJS.ReadableStream });
    try {
      const first = new Promise<string>((resolve, reject) => {
        lines.once("line", resolve);
        child.process.once("exit", (code) =>
          reject(new Error(`server process exited (${code}) before it was ready`)),
        );
      });
      const ready = JSON.parse(
        await within(first, READY_TIMEOUT_MS, "server process"),
      ) as ServerReady;
      return new ServerChild(child, lines, ready);
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  /** RSS, event-loop delay and CPU; `mark` restarts the since-mark event-loop delay. */
  sample(mark = false): Promise<ServerSample> {
    const answer = new Promise<string>((resolve) => this.#waiting.push(resolve));
    this.#child.process.stdin?.write(mark ? "mark\n" : "sample\n");
    return within(answer, SAMPLE_TIMEOUT_MS, "server RSS sample").then(
      (line) => JSON.parse(line) as ServerSample,
    );
  }

  /** `GET /api/stats`: open connections and what the taps hold. */
  async stats(): Promise<ServerStats> {
    const response = await fetch(`${this.url}/api/stats`, {
      signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS),
    });
    const body = (await response.json()) as {
      connections: number;
      taps: { count: number; bytes: number };
    };
    return { connections: body.connections, tapCount: body.taps.count, tapBytes: body.taps.bytes };
  }

  /** Resolves once the server counts no open connection, or after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.stats()).connections === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  async stop(): Promise<void> {
    this.#lines.close();
    await this.#child.stop();
  }
}
