/**
 * The run's child processes (the server, the client processes): started with their PID
 * remembered, stopped by that PID, and killed when the run exits for any reason, so a failed
 * or interrupted run leaves nothing behind. Children run TypeScript through tsx's loader
 * (`node --import tsx`: one process, so its PID is the one to stop).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface Child {
  pid: number;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when it has exited by itself, or after `timeoutMs` (then false). */
  exited(timeoutMs: number): Promise<boolean>;
}

export interface NodeChildOptions {
  /** An IPC channel besides the piped stdin and stdout. */
  ipc?: boolean;
}

/** Starts `node --import tsx <script> …args` with stdin and stdout piped, stderr shared. */
export function startNodeChild(script: URL, args: string[], options: NodeChildOptions = {}): Child {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(script), ...args], {
    stdio: ["pipe", "pipe", "inherit", ...(options.ipc ? (["ipc"] as const) : [])],
  });
  if (child.pid === undefined) throw new Error(`could not start ${script.pathname}`);
  const pid = child.pid;
  running.add(child);
  child.once("exit", () => running.delete(child));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = async (timeoutMs: number) => {
    if (hasExited()) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([once(child, "exit").then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  };
  return {
    pid,
    process: child,
    exited,
    stop: async (graceMs = 3000) => {
      if (hasExited()) return;
      process.kill(pid, "SIGTERM");
      if (await exited(graceMs)) return;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
      await exited(1000);
    },
  };
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
