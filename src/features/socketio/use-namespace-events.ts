import { useMemo, useSyncExternalStore } from "react";
import { type MessageEntry, messageLogFor } from "../../stores/message-logs.ts";

/** Entries a namespace pane shows: the newest of that namespace. */
export const PANE_ENTRIES = 12;
/** How far back a pane looks for them, so a busy log costs a bounded scan per update. */
const PANE_SCAN_LIMIT = 5000;

/**
 * The newest entries of one namespace in the card's message log (oldest first), re-read when
 * the log notifies (at most ten times a second): the pane and the log show the same events.
 */
export function useNamespaceEvents(cardId: string, namespace: string): MessageEntry[] {
  const store = messageLogFor(cardId);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version says when the log changed.
  return useMemo(() => {
    const found: MessageEntry[] = [];
    const stop = Math.max(store.first, store.end - PANE_SCAN_LIMIT);
    for (let index = store.end - 1; index >= stop && found.length < PANE_ENTRIES; index -= 1) {
      const entry = store.row(index);
      if (entry?.namespace === namespace) found.push(entry);
    }
    return found.reverse();
  }, [store, namespace, version]);
}
