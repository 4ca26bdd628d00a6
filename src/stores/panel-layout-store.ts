/**
 * Which panels of each card are collapsed: per card, the keys of its collapsed panels (short
 * stable strings such as "frame-log", see src/ui/Panel.tsx). This store only holds the state;
 * saving it with a card (localStorage, share links) is the scenarios' job, through
 * `collapsedPanels` and `restoreCollapsed`.
 */
import { create } from "zustand";

const NONE: readonly string[] = [];

interface PanelLayoutState {
  /** Card id → keys of its collapsed panels, in the order they were collapsed. */
  collapsed: Readonly<Record<string, readonly string[]>>;
}

/** The store itself, for subscribers outside React (`usePanelLayout.subscribe`). */
export const usePanelLayout = create<PanelLayoutState>()(() => ({ collapsed: {} }));

/** Whether panel `panelKey` of card `cardId` is collapsed (false until collapsed). */
export function useCollapsed(cardId: string, panelKey: string): boolean {
  return usePanelLayout((state) => state.collapsed[cardId]?.includes(panelKey) ?? false);
}

export function setCollapsed(cardId: string, panelKey: string, collapsed: boolean): void {
  usePanelLayout.setState((state) => {
    const keys = state.collapsed[cardId] ?? NONE;
    if (keys.includes(panelKey) === collapsed) return state;
    const next = collapsed ? [...keys, panelKey] : keys.filter((key) => key !== panelKey);
    return { collapsed: { ...state.collapsed, [cardId]: next } };
  });
}

/** The keys of the card's collapsed panels (a copy: safe to keep). */
export function collapsedPanels(cardId: string): string[] {
  return [...(usePanelLayout.getState().collapsed[cardId] ?? NONE)];
}

/** Sets exactly these panels of the card collapsed, and every other one expanded. */
export function restoreCollapsed(cardId: string, panelKeys: readonly string[]): void {
  const keys = [...new Set(panelKeys)];
  usePanelLayout.setState((state) => ({ collapsed: { ...state.collapsed, [cardId]: keys } }));
}

/** Forgets a removed card's layout. */
export function dropCardLayout(cardId: string): void {
  usePanelLayout.setState((state) => {
    if (!(cardId in state.collapsed)) return state;
    const { [cardId]: _dropped, ...rest } = state.collapsed;
    return { collapsed: rest };
  });
}
