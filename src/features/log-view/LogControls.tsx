import type { LogStore } from "../../stores/log-store.ts";
import { exportJson } from "./export-json.ts";
import type { LogSnapshot } from "./use-log-snapshot.ts";

/** The count at the head of a log's toolbar: "12 frames", or "12 frames · 3 shown" when filtered. */
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
  const count = snapshot.counted;
  return (
    <output className="log-count" data-testid={testId}>
      {count.toLocaleString("en-US")} {count === 1 ? noun : `${noun}s`}
      {filtered ? ` · ${snapshot.length.toLocaleString("en-US")} shown` : ""}
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
}: {
  store: LogStore<T>;
  snapshot: LogSnapshot<T>;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
  /** Plural noun for the button names, e.g. "frames". */
  noun: string;
  fileName: string;
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
        onClick={() =>
          exportJson(
            fileName,
            Array.from({ length: snapshot.length }, (_, index) => snapshot.at(index)),
          )
        }
      >
        Export {noun}
      </button>
    </>
  );
}
