/**
 * Child processes of the bench (servers, Chromium, the busy-work spinner): started with their
 * PID remembered, stopped by that PID, and killed when the bench exits for any reason, so a
 * failed run leaves nothing behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { stopChild, trackChild } from "../tools/child-processes.ts";

export interface Child {
  pid: number;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  command: string,
  args: string[],
  options: { ipc?: boolean; stdout?: "pipe" | "ignore"; stderr?: "pipe" | "ignore" | "inherit" },
): Child {
  const child = spawn(command, args, {
    stdio: [
      "ignore",
      options.stdout ?? "pipe",
      options.stderr ?? "inherit",
      ...(options.ipc ? (["ipc"] as const) : []),
    ],
  });
  const pid = trackChild(child);
  return { pid, process: child, stop: (graceMs = 3000) => stopChild(child, graceMs) };
}

/**
 * A Node child running a TypeScript file through tsx's loader (`node --import tsx`: one
 * process, so its PID is the one to stop, unlike the `tsx` CLI which forks), with an IPC
 * channel, that prints one JSON line on stdout when it is ready.
 */
export async function startNodeChild<T>(
  script: URL,
  args: string[],
): Promise<Child & { ready: T; cpuMicros(): Promise<number> }> {
  const child = startChild(process.execPath, ["--import", "tsx", script.pathname, ...args], {
    ipc: true,
  });
  const lines = createInterface({ input: child.process.stdout as NodeJS.ReadableStream });
  try {
    const ready = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script.pathname}: not ready in 30 s`)),
        30_000,
      );
      lines.once("line", (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as T);
        } catch {
          reject(new Error(`${script.pathname} printed ${line}`));
        }
      });
      child.process.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${script.pathname} exited with ${code} before it was ready`));
      });
    });
    return {
      ...child,
      ready,
      // The child's CPU time (user + system, all its threads) so far, in µs: asked over IPC.
      cpuMicros: () =>
        new Promise((resolve, reject) => {
          child.process.once("message", (usage: { user: number; system: number }) =>
            resolve(usage.user + usage.system),
          );
          if (!child.process.send("cpu")) reject(new Error("IPC channel closed"));
        }),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
