/**
 * Child processes of the bench and the load tool: each started process is tracked by its PID
 * and killed when the parent exits for any reason (an error, Ctrl-C, SIGTERM), so a failed
 * run leaves nothing behind. Shared by bench/ and load/, which start their children
 * differently but stop them the same way.
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

const running = new Set<ChildProcess>();
let registered = false;

function killAll(): void {
  for (const child of running) {
    if (child.pid !== undefined && !hasExited(child)) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Remembers `child` until it exits; the first call installs the exit and signal handlers. */
export function trackChild(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error(`could not start ${child.spawnfile}`);
  if (!registered) {
    registered = true;
    process.on("exit", killAll);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(130);
      });
    }
  }
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child.pid;
}

/** Resolves true when `child` has exited, or false after `timeoutMs`. */
export async function exitedWithin(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const result = await Promise.race([once(child, "exit").then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

/** SIGTERM by PID, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  process.kill(child.pid, "SIGTERM");
  if (await exitedWithin(child, graceMs)) return;
  try {
    process.kill(child.pid, "SIGKILL");
  } catch {
    // exited meanwhile
  }
  await exitedWithin(child, 1000);
}
