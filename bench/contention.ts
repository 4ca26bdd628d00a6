/**
 * `--contended`: one core kept busy with unrelated work (a child process hashing in a loop)
 * while the browser rows run, and the machine's idle time measured around each row.
 */
import { cpus } from "node:os";
import { type Child, startChild } from "./child-process.ts";

// SHA-256 over 64 KiB, forever. It checks now and then that the bench is still its parent,
// so that it ends even if the bench was killed without a chance to stop it.
const SPINNER = `
const { createHash } = require("node:crypto");
const parent = process.ppid;
const block = Buffer.alloc(64 * 1024, 1);
for (let i = 0; ; i += 1) {
  createHash("sha256").update(block).digest();
  if (i % 1000 === 0 && process.ppid !== parent) process.exit(0);
}`;

export function startSpinner(): Child {
  return startChild(process.execPath, ["-e", SPINNER], { stdout: "ignore" });
}

interface CpuTimes {
  idle: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle: cpuIdle, irq } = cpu.times;
    idle += cpuIdle;
    total += user + nice + sys + cpuIdle + irq;
  }
  return { idle, total };
}

/** Runs `work` and returns its result with the machine's idle time meanwhile, in % of all CPU time. */
export async function withIdle<T>(
  work: () => Promise<T>,
): Promise<{ result: T; idlePercent: number }> {
  const before = cpuTimes();
  const result = await work();
  const after = cpuTimes();
  const total = after.total - before.total;
  return {
    result,
    idlePercent: total > 0 ? ((after.idle - before.idle) / total) * 100 : Number.NaN,
  };
}
