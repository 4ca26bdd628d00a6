/**
 * The bench's table: rows of (measure, value, target), and the browser-ingest rows of one
 * way of driving the browser, with each run's value and, over several runs, the range.
 */
import type { IngestResult } from "./browser-ingest.ts";

export type Row = [measure: string, value: string, target: string];

export const fixed = (value: number | undefined, digits = 1): string =>
  value === undefined || Number.isNaN(value) ? "—" : value.toFixed(digits);
export const counted = (value: number): string => value.toLocaleString("en-US");
const seconds = (value: number | undefined) =>
  value === undefined ? "never" : `${value.toFixed(2)} s`;
const idle = (percent: number) => `idle ${percent.toFixed(1)}%`;

export function ingestRows(
  list: { result: IngestResult; idlePercent: number }[],
  { label, count, contended }: { label: string; count: number; contended: boolean },
): Row[] {
  const rows: Row[] = [];
  const row = (what: string, value: string, target = "") =>
    rows.push([`browser [${label}]: ${what}`, value, target]);
  // Each run's value, then the range when there are several.
  const each = (
    value: (run: IngestResult) => number | undefined,
    show: (v: number | undefined) => string,
  ) => {
    const numbers = list.map((run) => value(run.result));
    const shown = numbers.map(show).join(" / ");
    const defined = numbers.filter((n): n is number => n !== undefined);
    return defined.length > 1
      ? `${shown} (range ${show(Math.min(...defined))}–${show(Math.max(...defined))})`
      : shown;
  };

  row("machine idle during the row", list.map((run) => idle(run.idlePercent)).join(" / "));
  row(
    "stream open → close as the page saw it",
    each((r) => r.streamSeconds, seconds),
  );
  // Quiet machine: both logs complete within 1 s of the stream's end. Contended: no frame
  // lost, and the frame log complete within 5 s of the message log.
  row(
    `all ${counted(count)} messages shown, after stream end`,
    each((r) => r.messages.afterEnd, seconds),
    contended ? "" : "≤ 1 s",
  );
  row(
    `all ${counted(count + 2)} frames shown, after stream end`,
    each((r) => r.frames.afterEnd, seconds),
    contended ? "" : "≤ 1 s",
  );
  row(
    "… frames after the message log's last",
    each(
      (r) =>
        r.frames.afterEnd !== undefined && r.messages.afterEnd !== undefined
          ? r.frames.afterEnd - r.messages.afterEnd
          : undefined,
      seconds,
    ),
    contended ? "≤ 5 s" : "",
  );
  row(
    "frames lost (not shown / short at the end)",
    list
      .map(({ result }) => {
        const { frames } = result;
        if (!frames.stalled) return counted(frames.notShown);
        const short = frames.expected - frames.held - frames.notShown;
        return `${counted(frames.notShown)} / ${counted(short)} short ("${frames.text}"; inspector feed ${result.inspectFeed})`;
      })
      .join(" / "),
    contended ? "0" : "",
  );
  if (list.some((run) => run.result.messages.stalled)) {
    row("message log stalled at", list.map((run) => `"${run.result.messages.text}"`).join(" / "));
  }
  row(
    "longest main-thread task",
    each(
      (r) => r.longestTaskMs,
      (v) => (v === 0 ? "none ≥ 50 ms" : `${fixed(v, 0)} ms`),
    ),
    "< 100 ms",
  );
  row(
    "JS heap at the end",
    each(
      (r) => r.heapMiB,
      (v) => `${fixed(v)} MiB`,
    ),
    "< 150 MiB",
  );
  row(
    "JS heap after GC",
    each(
      (r) => r.heapAfterGcMiB,
      (v) => `${fixed(v)} MiB`,
    ),
  );
  row(
    "DOM elements",
    each(
      (r) => r.domElements,
      (v) => fixed(v, 0),
    ),
    "< 2,000",
  );
  row(
    "worst input delay of clicks during the stream",
    list
      .map((run) =>
        run.result.clicks === 0
          ? "no clicks (no Hex toggle found in the frame log)"
          : `${fixed(run.result.worstInputDelayMs, 0)} ms (${run.result.clicks} clicks)`,
      )
      .join(" / "),
  );
  if (list.some((run) => !run.result.bothLogsInView)) {
    row("note", "the two logs were not both inside the viewport");
  }
  return rows;
}

export function formatTable(rows: Row[]): string {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((r) => r[column]?.length ?? 0), 6));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(" | ")} |`;
  return [
    line(["measure", "value", "target"]),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
