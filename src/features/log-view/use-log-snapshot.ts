import { useMemo, useRef, useSyncExternalStore } from "react";
import type { LogCounts, LogSource } from "../../stores/log-source.ts";
import { usePanelCollapsed } from "../../ui/panel-context.ts";

export interface LogSnapshot<T> {
  /** Number of rows to show. */
  length: number;
  /** How many of them the counts count (messages, frames: not sections or notices). */
  countedShown: number;
  /** Row `index` of what is shown. */
  at(index: number): T | undefined;
  /** The log's headline figures, live even while paused. */
  counts: LogCounts;
  /** Rows that arrived since pausing and are not shown until resumed. */
  heldBack: number;
}

/** Absolute indexes of the rows that pass a filter, kept up to date as rows come and go. */
interface Matches {
  generation: number;
  filter: unknown;
  indexes: number[];
  /** countedUpTo[i]: how many of indexes[0..i] are counted rows. */
  countedUpTo: number[];
  /** indexes[head] is the first one still held. */
  head: number;
  /** Rows before this absolute index have been tested. */
  scanned: number;
}

/**
 * Reads a log for rendering: re-renders when the log notifies (at most ten times a second),
 * applies an optional filter incrementally (each row is tested once, as it arrives), and
 * while `paused` keeps showing the rows held at the moment of pausing, while the counts go on.
 * In a collapsed panel it stops re-rendering (the log itself keeps collecting) and catches up
 * when the panel is expanded.
 */
export function useLogSnapshot<T>(
  source: LogSource<T>,
  filter: ((row: T) => boolean) | undefined,
  paused: boolean,
): LogSnapshot<T> {
  const collapsed = usePanelCollapsed();
  const version = useSyncExternalStore(
    collapsed ? subscribeToNothing : source.subscribe,
    source.getVersion,
  );
  // Taken when `paused` turns true, and only then: where the view stops until resumed.
  const frozenEnd = useMemo(
    () => (paused ? { end: source.end, generation: source.generation } : null),
    [paused, source],
  );
  const matches = useRef<Matches | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the log's mutable contents.
  return useMemo(() => {
    const { first, generation } = source;
    const end =
      frozenEnd && frozenEnd.generation === generation
        ? Math.min(frozenEnd.end, source.end)
        : source.end;
    const counts = source.counts();
    const heldBack = source.end - end;
    if (!filter) {
      const length = Math.max(0, end - first);
      return {
        length,
        countedShown: length,
        at: (index: number) => source.row(first + index),
        counts,
        heldBack,
      };
    }
    let state = matches.current;
    if (!state || state.generation !== generation || state.filter !== filter) {
      state = { generation, filter, indexes: [], countedUpTo: [], head: 0, scanned: first };
      matches.current = state;
    }
    const { indexes, countedUpTo } = state;
    for (let index = Math.max(state.scanned, first); index < end; index += 1) {
      const row = source.row(index);
      if (row === undefined || !filter(row)) continue;
      countedUpTo.push((countedUpTo[indexes.length - 1] ?? 0) + (source.isCounted(row) ? 1 : 0));
      indexes.push(index);
    }
    state.scanned = Math.max(state.scanned, end);
    while (state.head < indexes.length && (indexes[state.head] as number) < first) state.head += 1;
    if (state.head > 4096 && state.head * 2 > indexes.length) {
      indexes.splice(0, state.head);
      countedUpTo.splice(0, state.head);
      state.head = 0;
    }
    const head = state.head;
    const countedBefore = head > 0 ? (countedUpTo[head - 1] ?? 0) : 0;
    return {
      length: indexes.length - head,
      countedShown: (countedUpTo[indexes.length - 1] ?? 0) - countedBefore,
      at: (index: number) => {
        const absolute = indexes[head + index];
        return absolute === undefined ? undefined : source.row(absolute);
      },
      counts,
      heldBack,
    };
  }, [source, filter, version, frozenEnd]);
}

const subscribeToNothing = () => () => {};
