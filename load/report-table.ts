/** Plain-text tables for the terminal: first column left-aligned, the others right-aligned. */

export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "─".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Bytes as MiB with one decimal. */
export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Milliseconds with two decimals below 10 ms, one above; "–" when there is nothing to report. */
export function milliseconds(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

/** A whole number with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** Signed percentage with one decimal. */
export function percentChange(from: number, to: number): string {
  const change = ((to - from) / from) * 100;
  return `${change >= 0 ? "+" : ""}${change.toFixed(1)} %`;
}
