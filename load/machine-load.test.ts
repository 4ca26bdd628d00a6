import { describe, expect, it } from "vitest";
import { machineLoadBetween, parsePressure, parseProcStat } from "./machine-load.ts";

describe("parseProcStat", () => {
  it("counts user, nice, system, irq, softirq and steal as busy, idle and iowait as not", () => {
    const text = "cpu  100 10 50 800 40 5 5 0 0 0\ncpu0 50 5 25 400 20 2 3 0 0 0\nintr 1\n";
    expect(parseProcStat(text)).toEqual({ busyTicks: 170, totalTicks: 1010 });
  });

  it("gives undefined without the aggregate line", () => {
    expect(parseProcStat("intr 1\n")).toBeUndefined();
  });
});

describe("parsePressure", () => {
  it("reads the total of the some line", () => {
    const text =
      "some avg10=44.08 avg60=46.22 avg300=41.75 total=990156791\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
    expect(parsePressure(text)).toBe(990_156_791);
  });
});

describe("machineLoadBetween", () => {
  it("gives the busy share of all cores and the share of wall time under pressure", () => {
    const start = { busyTicks: 100, totalTicks: 1000, pressureMicros: 0, at: 0 };
    const end = { busyTicks: 250, totalTicks: 1200, pressureMicros: 250_000, at: 1000 };
    expect(machineLoadBetween(start, end)).toEqual({ busy: 0.75, pressure: 0.25 });
  });

  it("gives undefined when either end is missing", () => {
    expect(machineLoadBetween(undefined, undefined)).toBeUndefined();
  });
});
