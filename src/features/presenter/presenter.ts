import { useSyncExternalStore } from "react";

// Presenter mode scales the page for a projector: a `data-presenter` attribute on <html> makes
// src/app/styles.css override its type and spacing tokens. It is on at load when the URL has
// `?present` or when it was left on last time (localStorage).

const STORAGE_KEY = "wsp.presenter";

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === "1";
  } catch {
    return false; // storage blocked: the switch still works for this page.
  }
}

function apply(on: boolean): void {
  document.documentElement.toggleAttribute("data-presenter", on);
}

let presenter = new URLSearchParams(location.search).has("present") || readStored();
// Set before the first render (this module is evaluated with the app shell), so the page does
// not paint once small and then jump.
apply(presenter);

const listeners = new Set<() => void>();

export function setPresenter(on: boolean): void {
  if (on === presenter) return;
  presenter = on;
  apply(on);
  try {
    localStorage.setItem(STORAGE_KEY, on ? "1" : "0");
  } catch {
    // Not remembered across reloads, nothing else lost.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePresenter(): boolean {
  return useSyncExternalStore(subscribe, () => presenter);
}
