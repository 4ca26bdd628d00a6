import { describe, expect, it } from "vitest";
import { BASE_FDS, checkFdLimit, parseOpenFilesLimit } from "./fd-limit.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe("parseOpenFilesLimit", () => {
  it("reads the soft and hard limits", () => {
    expect(parseOpenFilesLimit(LIMITS)).toEqual({ soft: 1024, hard: 524288 });
  });

  it("reads unlimited as Infinity", () => {
    const text = "Max open files            unlimited            unlimited            files\n";
    expect(parseOpenFilesLimit(text)).toEqual({
      soft: Number.POSITIVE_INFINITY,
      hard: Number.POSITIVE_INFINITY,
    });
  });

  it("gives undefined without the line", () => {
    expect(parseOpenFilesLimit("Max cpu time unlimited unlimited seconds\n")).toBeUndefined();
  });
});

describe("checkFdLimit", () => {
  const needs = [
    { who: "the server process", sockets: 1100 },
    { who: "the client process", sockets: 1000 },
  ];

  it("passes when the limit covers the neediest process and its base", () => {
    expect(checkFdLimit(needs, { soft: 20_000, hard: 20_000 }).ok).toBe(true);
    expect(checkFdLimit(needs, { soft: 1100 + BASE_FDS, hard: 1100 + BASE_FDS }).ok).toBe(true);
  });

  it("refuses, naming what to raise it to, when it does not", () => {
    const check = checkFdLimit(needs, { soft: 1024, hard: 1024 });
    expect(check.ok).toBe(false);
    expect(check.message).toContain(`ulimit -Hn ${1100 + BASE_FDS}`);
  });

  it("passes with a warning when the limit cannot be read", () => {
    const check = checkFdLimit(needs, undefined);
    expect(check.ok).toBe(true);
    expect(check.message).toContain("EMFILE");
  });
});
