import { createContext, useContext } from "react";

/** What a panel tells what is inside it (see Panel.tsx). */
export interface PanelInfo {
  /** Stable key of the panel within its card, e.g. "frame-log". */
  panelKey: string;
  /** The panel's title as shown, e.g. "Frame log": names its lesson's controls. */
  title: string;
  collapsed: boolean;
}

export const PanelContext = createContext<PanelInfo | null>(null);

/** The panel this component sits in, or null outside any panel. */
export function usePanelInfo(): PanelInfo | null {
  return useContext(PanelContext);
}

/**
 * Whether the panel this component sits in is collapsed: its body is hidden, so work that only
 * feeds the view (re-rendering a log 10 times a second) can wait until it is expanded again.
 */
export function usePanelCollapsed(): boolean {
  return useContext(PanelContext)?.collapsed ?? false;
}
