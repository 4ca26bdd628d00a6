import { useMemo, useSyncExternalStore } from "react";
import type { LogStore } from "../../stores/log-store.ts";

export interface LogSnapshot<T> {
  /** Number of rows to show. */
  length: number;
  /** Row `index` of what is shown. */
  at(index: number): T | undefined;
  /** How many held entries the store counts (e.g. messages, not events). */
  counted: number;
}

/**
 * Reads a log store for rendering: re-renders at most once per animation frame, applies an
 * optional filter, and while `paused` keeps showing the entries held at the moment of pausing.
 */
export function useLogSnapshot<T>(
  store: LogStore<T>,
  filter: ((entry: T) => boolean) | undefined,
  paused: boolean,
): LogSnapshot<T> {
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  // Taken when `paused` turns true, and only then: what the view shows until resumed.
  const frozenEntries = useMemo(
    () => (paused ? { entries: store.entries.toArray(), counted: store.counted } : null),
    [paused, store],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the store's mutable contents.
  return useMemo(() => {
    const source = frozenEntries
      ? {
          length: frozenEntries.entries.length,
          at: (index: number) => frozenEntries.entries[index],
          counted: frozenEntries.counted,
        }
      : {
          length: store.entries.length,
          at: (index: number) => store.entries.at(index),
          counted: store.counted,
        };
    if (!filter) return source;
    const matches: number[] = [];
    for (let index = 0; index < source.length; index += 1) {
      const entry = source.at(index);
      if (entry !== undefined && filter(entry)) matches.push(index);
    }
    return {
      length: matches.length,
      at: (index: number) => {
        const sourceIndex = matches[index];
        return sourceIndex === undefined ? undefined : source.at(sourceIndex);
      },
      counted: source.counted,
    };
  }, [store, filter, version, frozenEntries]);
}
