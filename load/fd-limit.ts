/**
 * File descriptors: every open WebSocket holds one in the client process and one in the server
 * process. Node raises its own soft `ulimit -n` to the hard limit as it starts, so the limit
 * read here is what each of the run's Node children will have too; a run that needs more is
 * refused with a clear message before it starts, instead of failing part-way with EMFILE.
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

/** This process's limit (its children's too); undefined off Linux. */
export function readOpenFilesLimit(): OpenFilesLimit | undefined {
  try {
    return parseOpenFilesLimit(readFileSync("/proc/self/limits", "utf8"));
  } catch {
    return undefined;
  }
}

export interface FdNeed {
  /** Who, e.g. "the server process". */
  who: string;
  /** Sockets it will hold at once. */
  sockets: number;
}

export interface FdCheck {
  ok: boolean;
  /** One paragraph for the start of a run. */
  message: string;
}

export function checkFdLimit(needs: readonly FdNeed[], limit: OpenFilesLimit | undefined): FdCheck {
  const described = needs.map((need) => `${need.who} about ${need.sockets + BASE_FDS}`).join(", ");
  if (!limit) {
    return {
      ok: true,
      message: `File descriptors: could not read this system's limit (no /proc/self/limits); needed: ${described}. If connections fail with EMFILE, raise \`ulimit -n\`.`,
    };
  }
  const largest = Math.max(...needs.map((need) => need.sockets + BASE_FDS));
  if (limit.soft >= largest) {
    return {
      ok: true,
      message: `File descriptors: each process may open ${limit.soft} (ulimit -n, as Node raised it); needed: ${described}: enough.`,
    };
  }
  return {
    ok: false,
    message: `File descriptors: each process may open only ${limit.soft} (soft ulimit -n ${limit.soft}, hard ${limit.hard}); needed: ${described}. Raise the hard limit (\`ulimit -Hn ${largest}\` as root, or LimitNOFILE= for a systemd service) or run fewer --clients / more --client-processes.`,
  };
}
