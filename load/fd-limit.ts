/**
 * File descriptors: every open WebSocket holds one in the client process and one in the server
 * process, and both inherit the shell's `ulimit -n`. A limit below what a run needs makes
 * connections fail with EMFILE part-way; this says so before the run starts, and raises the
 * children's soft limit up to the hard one when that is enough.
 */
import { readFileSync } from "node:fs";

export interface OpenFilesLimit {
  soft: number;
  hard: number;
}

/** Descriptors a process uses besides its sockets: stdio, IPC, the listener, tsx, epoll… */
export const BASE_FDS = 64;

/** The "Max open files" line of /proc/<pid>/limits; undefined when absent. */
export function parseOpenFilesLimit(limitsText: string): OpenFilesLimit | undefined {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (!match) return undefined;
  const toNumber = (value: string | undefined) =>
    value === "unlimited" ? Number.POSITIVE_INFINITY : Number(value);
  const soft = toNumber(match[1]);
  const hard = toNumber(match[2]);
  return Number.isNaN(soft) || Number.isNaN(hard) ? undefined : { soft, hard };
}

/** This process's limit (inherited by its children); undefined off Linux. */
export function readOpenFilesLimit(): OpenFilesLimit | undefined {
  try {
    return parseOpenFilesLimit(readFileSync("/proc/self/limits", "utf8"));
  } catch {
    return undefined;
  }
}

export type FdPlan =
  | { kind: "enough"; needed: number; limit: OpenFilesLimit }
  /** Children are started under `ulimit -n <to>` (soft raised towards the hard limit). */
  | { kind: "raise"; needed: number; limit: OpenFilesLimit; to: number }
  | { kind: "too-low"; needed: number; limit: OpenFilesLimit }
  | { kind: "unknown"; needed: number };

/** What to do for a process that will hold `sockets` sockets. */
export function planFdLimit(sockets: number, limit: OpenFilesLimit | undefined): FdPlan {
  const needed = sockets + BASE_FDS;
  if (!limit) return { kind: "unknown", needed };
  if (limit.soft >= needed) return { kind: "enough", needed, limit };
  if (limit.hard >= needed) return { kind: "raise", needed, limit, to: needed };
  return { kind: "too-low", needed, limit };
}

/** One sentence for the start of a run. */
export function describeFdPlan(plan: FdPlan, who: string): string {
  const needed = `${who} needs about ${plan.needed} file descriptors`;
  switch (plan.kind) {
    case "unknown":
      return `File descriptors: could not read this system's limit (no /proc/self/limits); ${needed}. If connections fail with EMFILE, raise \`ulimit -n\`.`;
    case "enough":
      return `File descriptors: ulimit -n is ${plan.limit.soft} (hard ${plan.limit.hard}); ${needed}: enough.`;
    case "raise":
      return `File descriptors: ulimit -n is ${plan.limit.soft}, too low; ${needed}: the children are started under \`ulimit -n ${plan.to}\` (hard limit ${plan.limit.hard}).`;
    case "too-low":
      return `File descriptors: ulimit -n is ${plan.limit.soft} and the hard limit ${plan.limit.hard}; ${needed}. Raise the hard limit (e.g. \`ulimit -Hn ${plan.needed}\` as root, or LimitNOFILE in systemd) or run fewer --clients.`;
  }
}
