import { formatCount } from "../../shared/format-count.ts";
import type { LogSource } from "../../stores/log-source.ts";
import { exportJson } from "./export-json.ts";
import type { LogSnapshot } from "./use-log-snapshot.ts";

/**
 * The headline of a log, e.g. "100,002 frames", then anything the log does not show: rows a
 * filter hides ("· 3 shown"), frames that never reached the page, the oldest ones this page no
 * longer holds, and what arrived while paused. Loss is always stated, never silent.
 */
export function logCountText(
  snapshot: Pick<LogSnapshot<unknown>, "counts" | "countedShown" | "heldBack">,
  noun: string,
  filtered: boolean,
): string {
  const { arrived, lost, evicted, capacity, serverKept } = snapshot.counts;
  const parts = [`${formatCount(arrived)} ${arrived === 1 ? noun : `${noun}s`}`];
  if (filtered) parts.push(`${formatCount(snapshot.countedShown)} shown`);
  if (lost > 0) {
    parts.push(
      `${formatCount(lost)} not shown: the page fell behind and the server keeps only the last ${formatCount(serverKept)} events per connection`,
    );
  }
  if (evicted > 0) {
    parts.push(
      `the oldest ${formatCount(evicted)} no longer held (this log keeps the newest ${formatCount(capacity)})`,
    );
  }
  if (snapshot.heldBack > 0)
    parts.push(`paused: ${formatCount(snapshot.heldBack)} newer not shown`);
  return parts.join(" · ");
}

export function LogCount<T>({
  snapshot,
  filtered,
  noun,
  testId,
}: {
  snapshot: LogSnapshot<T>;
  filtered: boolean;
  noun: string;
  testId: string;
}) {
  const { lost, evicted } = snapshot.counts;
  return (
    <output
      className={`log-count${lost > 0 || evicted > 0 ? " log-count-loss" : ""}`}
      data-testid={testId}
    >
      {logCountText(snapshot, noun, filtered)}
    </output>
  );
}

/**
 * Pause, clear and export for one log. Each button names its log ("Clear frames") so that
 * a card's two logs never share an accessible name.
 */
export function LogActions<T>({
  store,
  snapshot,
  paused,
  onPausedChange,
  noun,
  fileName,
  toJson = (row) => row,
}: {
  store: LogSource<T>;
  snapshot: LogSnapshot<T>;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
  /** Plural noun for the button names, e.g. "frames". */
  noun: string;
  fileName: string;
  /** What a row looks like in the exported file. */
  toJson?: (row: T) => unknown;
}) {
  return (
    <>
      <button type="button" className="ghost" onClick={() => onPausedChange(!paused)}>
        {paused ? `Resume ${noun}` : `Pause ${noun}`}
      </button>
      <button type="button" className="ghost" onClick={() => store.clear()}>
        Clear {noun}
      </button>
      <button
        type="button"
        className="ghost"
        onClick={() => {
          const rows: unknown[] = [];
          for (let index = 0; index < snapshot.length; index += 1) {
            const row = snapshot.at(index);
            if (row !== undefined) rows.push(toJson(row));
          }
          exportJson(fileName, rows);
        }}
      >
        Export {noun}
      </button>
    </>
  );
}
