/**
 * The run's child processes (the server, the client processes): started with their PID
 * remembered, stopped by that PID, and killed when the run exits for any reason, so a failed
 * or interrupted run leaves nothing behind. Children run TypeScript through tsx's loader
 * (`node --import tsx`: one process, so its PID is the one to stop).
 */

import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exitedWithin, stopChild, trackChild } from "../tools/child-processes.ts";

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
  const pid = trackChild(child);
  return {
    pid,
    process: child,
    exited: (timeoutMs) => exitedWithin(child, timeoutMs),
    stop: (graceMs = 3000) => stopChild(child, graceMs),
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
