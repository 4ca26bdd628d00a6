import { describe, expect, it } from "vitest";
import { BASE_FDS, parseOpenFilesLimit, planFdLimit } from "./fd-limit.ts";

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

describe("planFdLimit", () => {
  it("is enough when the soft limit covers the sockets and the base", () => {
    expect(planFdLimit(1000, { soft: 20_000, hard: 20_000 }).kind).toBe("enough");
  });

  it("raises the soft limit when the hard one allows", () => {
    expect(planFdLimit(1000, { soft: 1024, hard: 524_288 })).toMatchObject({
      kind: "raise",
      to: 1000 + BASE_FDS,
    });
  });

  it("is too low when even the hard limit is", () => {
    expect(planFdLimit(1000, { soft: 1024, hard: 1024 }).kind).toBe("too-low");
  });

  it("is unknown without a limit to read", () => {
    expect(planFdLimit(1000, undefined).kind).toBe("unknown");
  });
});
