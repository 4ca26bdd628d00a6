/** The parent's side of load/client-process.ts: one IPC conversation per client process. */
import type { ChildProcess } from "node:child_process";
import type {
  ClientConfig,
  ClientDone,
  ClientProgress,
  FromClient,
  ToClient,
} from "./child-messages.ts";
import { type Child, startNodeChild, within } from "./children.ts";

type Opened = Extract<FromClient, { type: "opened" }>;

export class ClientChild {
  readonly #child: Child;

  private constructor(child: Child) {
    this.#child = child;
  }

  static start(): ClientChild {
    const child = startNodeChild(new URL("./client-process.ts", import.meta.url), [], {
      ipc: true,
    });
    return new ClientChild(child);
  }

  #next<T extends FromClient["type"]>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromClient, { type: T }>> {
    const process: ChildProcess = this.#child.process;
    const answer = new Promise<Extract<FromClient, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromClient) => {
        if (message.type !== type) return;
        process.off("message", onMessage);
        process.off("exit", onExit);
        resolve(message as Extract<FromClient, { type: T }>);
      };
      const onExit = (code: number | null) => {
        process.off("message", onMessage);
        reject(new Error(`client process exited (${code}) while waiting for "${type}"`));
      };
      process.on("message", onMessage);
      process.once("exit", onExit);
    });
    return within(answer, timeoutMs, `client process ${this.#child.pid} (${type})`);
  }

  #send(message: ToClient): void {
    this.#child.process.send(message);
  }

  open(config: ClientConfig, timeoutMs: number): Promise<Opened> {
    const opened = this.#next("opened", timeoutMs);
    this.#send({ type: "open", config });
    return opened;
  }

  /** Starts the sends; resolves with the totals once they are over and the grace has passed. */
  go(timeoutMs: number): Promise<ClientDone> {
    const done = this.#next("done", timeoutMs);
    this.#send({ type: "go" });
    return done;
  }

  progress(timeoutMs: number): Promise<ClientProgress> {
    const progress = this.#next("progress", timeoutMs);
    this.#send({ type: "progress" });
    return progress;
  }

  /** Closes every client (1000), waits for the process to exit, and kills it if it does not. */
  async close(timeoutMs: number): Promise<void> {
    this.#send({ type: "close" });
    if (!(await this.#child.exited(timeoutMs))) await this.#child.stop();
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}
