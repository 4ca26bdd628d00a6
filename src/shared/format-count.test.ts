import { describe, expect, it } from "vitest";
import { formatCount } from "./format-count.ts";

describe("formatCount", () => {
  it("groups thousands with commas, as en-US does", () => {
    for (const value of [0, 7, 999, 1000, 12_345, 100_002, 1_000_000, 123_456_789]) {
      expect(formatCount(value)).toBe(value.toLocaleString("en-US"));
    }
  });
  it("keeps the sign and a fraction", () => {
    expect(formatCount(-1234)).toBe("-1,234");
    expect(formatCount(1234.5)).toBe("1,234.5");
  });
});
