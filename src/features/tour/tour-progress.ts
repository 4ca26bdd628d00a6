import { create } from "zustand";

/**
 * Which stop the Tour shows, and which stop's cards it last opened, kept while the page is open so
 * that closing and reopening the panel comes back to the same stop. Not saved: the cards a stop
 * opened are (they are the page's scenario).
 */
export const useTourProgress = create<{ current: number; opened: number | undefined }>()(() => ({
  current: 0,
  opened: undefined,
}));

export function markStopOpened(index: number): void {
  useTourProgress.setState({ current: index, opened: index });
}
