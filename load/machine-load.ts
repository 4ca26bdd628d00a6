/**
 * How busy the machine was during a run, from Linux's /proc: on a shared machine a stalled
 * event loop may be the server's fault or another process's, and these tell which.
 * - /proc/stat: CPU time of every process on every core (busy vs idle ticks).
 * - /proc/pressure/cpu: time in which some runnable task waited for a core (PSI "some").
 * Off Linux (or without PSI) they read as undefined and the report leaves them out.
 */
import { readFileSync } from "node:fs";

export interface MachineSnapshot {
  /** Ticks all cores spent busy / in total (the first line of /proc/stat). */
  busyTicks: number;
  totalTicks: number;
  /** PSI cpu "some" total, µs. */
  pressureMicros: number | undefined;
  at: number;
}

export interface MachineLoad {
  /** Share of all cores' time that was busy, 0–1. */
  busy: number;
  /** Share of wall time in which some task waited for a core, 0–1. */
  pressure: number | undefined;
}

/** Busy and total ticks from the aggregate `cpu` line of /proc/stat. */
export function parseProcStat(text: string): { busyTicks: number; totalTicks: number } | undefined {
  const line = /^cpu\s+([\d\s]+)$/m.exec(text)?.[1];
  if (!line) return undefined;
  const ticks = line.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
  // counted in user and nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    ticks;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

/** The `some` line's total (µs) of /proc/pressure/cpu. */
export function parsePressure(text: string): number | undefined {
  const total = /^some\b.*\btotal=(\d+)/m.exec(text)?.[1];
  return total === undefined ? undefined : Number(total);
}

function readOr<T>(path: string, parse: (text: string) => T | undefined): T | undefined {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

export function snapshotMachine(): MachineSnapshot | undefined {
  const stat = readOr("/proc/stat", parseProcStat);
  if (!stat) return undefined;
  return {
    ...stat,
    pressureMicros: readOr("/proc/pressure/cpu", parsePressure),
    at: performance.now(),
  };
}

export function machineLoadBetween(
  start: MachineSnapshot | undefined,
  end: MachineSnapshot | undefined,
): MachineLoad | undefined {
  if (!start || !end || end.totalTicks <= start.totalTicks) return undefined;
  const busy = (end.busyTicks - start.busyTicks) / (end.totalTicks - start.totalTicks);
  const wallMicros = (end.at - start.at) * 1000;
  const pressure =
    start.pressureMicros === undefined || end.pressureMicros === undefined || wallMicros <= 0
      ? undefined
      : (end.pressureMicros - start.pressureMicros) / wallMicros;
  return { busy, pressure };
}
