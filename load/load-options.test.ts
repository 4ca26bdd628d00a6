import { describe, expect, it } from "vitest";
import { parseDuration, parseLoadArgs } from "./load-options.ts";

describe("parseLoadArgs", () => {
  it("defaults to 1,000 clients × 5 msg/s × 10 s, tap off then on", () => {
    expect(parseLoadArgs([])).toEqual({
      kind: "run",
      options: {
        clients: 1000,
        rate: 5,
        seconds: 10,
        tapModes: ["off", "on"],
        bytes: 64,
        clientProcesses: 1,
        graceMs: 2000,
        soak: false,
        intervalSeconds: 60,
      },
    });
  });

  it("soaks for 10 minutes with the tap off unless told otherwise", () => {
    const parsed = parseLoadArgs(["--soak"]);
    expect(parsed).toMatchObject({
      kind: "run",
      options: { soak: true, seconds: 600, tapModes: ["off"] },
    });
    expect(parseLoadArgs(["--soak", "--duration", "2m", "--tap", "on"])).toMatchObject({
      options: { seconds: 120, tapModes: ["on"] },
    });
  });

  it("answers --help and -h", () => {
    expect(parseLoadArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseLoadArgs(["-h"])).toEqual({ kind: "help" });
  });

  it("refuses unknown flags, bad numbers and misplaced soak flags with a message", () => {
    for (const args of [
      ["--nope"],
      ["--clients", "0"],
      ["--clients", "1.5"],
      ["--rate", "-1"],
      ["--tap", "maybe"],
      ["--duration", "5m"],
      ["--soak", "--seconds", "5"],
      ["--soak", "--duration", "soon"],
      ["--clients", "2", "--client-processes", "3"],
      ["extra"],
    ]) {
      expect(parseLoadArgs(args)).toMatchObject({ kind: "error", message: expect.any(String) });
    }
  });
});

describe("parseDuration", () => {
  it("reads seconds, minutes and hours", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("2m")).toBe(120);
    expect(parseDuration("0.5h")).toBe(1800);
  });

  it("refuses zero and nonsense", () => {
    expect(parseDuration("0m")).toBeUndefined();
    expect(parseDuration("m")).toBeUndefined();
    expect(parseDuration("-1s")).toBeUndefined();
  });
});
