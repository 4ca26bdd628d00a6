import { describe, expect, it } from "vitest";
import { count, formatTable, mebibytes, milliseconds, percentChange } from "./report-table.ts";

describe("formatTable", () => {
  it("left-aligns the first column, right-aligns the rest, under a rule", () => {
    expect(
      formatTable(
        ["", "tap off", "tap on"],
        [
          ["opened", "1,000", "999"],
          ["lost", "0", "12"],
        ],
      ),
    ).toBe(
      [
        "        tap off  tap on",
        "──────  ───────  ──────",
        "opened    1,000     999",
        "lost          0      12",
      ].join("\n"),
    );
  });
});

describe("formats", () => {
  it("writes sizes, times, counts and changes the way the report reads them", () => {
    expect(mebibytes(3 * 2 ** 20)).toBe("3.0 MiB");
    expect(milliseconds(1.234)).toBe("1.23 ms");
    expect(milliseconds(23.44)).toBe("23.4 ms");
    expect(milliseconds(Number.NaN)).toBe("–");
    expect(count(50_000)).toBe("50,000");
    expect(percentChange(100, 108)).toBe("+8.0 %");
    expect(percentChange(100, 95)).toBe("-5.0 %");
  });
});
