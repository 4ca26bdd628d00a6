import { useSyncExternalStore } from "react";

// Lessons can be put away once read: all of them with the page's Lessons switch, or one panel's
// lesson (on every card) with its Hide button. Switching lessons on again brings every one back.
// Remembered in localStorage, as presenter mode is.

const STORAGE_KEY = "wsp.lessons";

export interface LessonsState {
  /** The page's Lessons switch. */
  shown: boolean;
  /** Panel keys whose lesson was hidden by itself, e.g. "frame-log". */
  hidden: readonly string[];
}

const DEFAULT: LessonsState = { shown: true, hidden: [] };

function readStored(): LessonsState {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (typeof stored !== "object" || stored === null) return DEFAULT;
    const { shown, hidden } = stored as Partial<Record<keyof LessonsState, unknown>>;
    return {
      shown: shown !== false,
      hidden: Array.isArray(hidden) ? hidden.filter((key) => typeof key === "string") : [],
    };
  } catch {
    return DEFAULT; // storage blocked or garbled: every lesson shows.
  }
}

let state = readStored();
const listeners = new Set<() => void>();

function update(next: LessonsState): void {
  state = next;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Not remembered across reloads, nothing else lost.
  }
  for (const listener of listeners) listener();
}

/** The Lessons switch: off hides every lesson; on shows every one, those hidden singly too. */
export function setLessonsShown(shown: boolean): void {
  if (shown === state.shown && (!shown || state.hidden.length === 0)) return;
  update({ shown, hidden: [] });
}

/** Hides the lesson of every panel with this key, until lessons are shown again. */
export function hideLesson(panelKey: string): void {
  if (state.hidden.includes(panelKey)) return;
  update({ ...state, hidden: [...state.hidden, panelKey] });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLessons(): LessonsState {
  return useSyncExternalStore(subscribe, () => state);
}
