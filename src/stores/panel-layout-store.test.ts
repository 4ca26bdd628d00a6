import { beforeEach, describe, expect, it } from "vitest";
import {
  collapsedPanels,
  dropCardLayout,
  restoreCollapsed,
  setCollapsed,
  usePanelLayout,
} from "./panel-layout-store.ts";

const isCollapsed = (card: string, key: string) =>
  usePanelLayout.getState().collapsed[card]?.includes(key) ?? false;

describe("panel layout store", () => {
  beforeEach(() => usePanelLayout.setState({ collapsed: {} }));

  it("collapses and expands one panel of one card", () => {
    setCollapsed("c1", "frame-log", true);
    expect(isCollapsed("c1", "frame-log")).toBe(true);
    expect(isCollapsed("c2", "frame-log")).toBe(false);
    expect(isCollapsed("c1", "message-log")).toBe(false);
    setCollapsed("c1", "frame-log", false);
    expect(collapsedPanels("c1")).toEqual([]);
  });

  it("keeps one entry per panel and leaves the state alone when nothing changes", () => {
    setCollapsed("c1", "compose", true);
    const before = usePanelLayout.getState();
    setCollapsed("c1", "compose", true);
    expect(usePanelLayout.getState()).toBe(before);
    expect(collapsedPanels("c1")).toEqual(["compose"]);
  });

  it("lists a card's collapsed panels as a copy", () => {
    setCollapsed("c1", "handshake", true);
    setCollapsed("c1", "faults", true);
    const listed = collapsedPanels("c1");
    listed.push("mutated");
    expect(collapsedPanels("c1")).toEqual(["handshake", "faults"]);
    expect(collapsedPanels("unknown")).toEqual([]);
  });

  it("restores exactly the given panels, expanding the others", () => {
    setCollapsed("c1", "compose", true);
    restoreCollapsed("c1", ["frame-log", "handshake", "frame-log"]);
    expect(collapsedPanels("c1")).toEqual(["frame-log", "handshake"]);
    expect(isCollapsed("c1", "compose")).toBe(false);
  });

  it("forgets a dropped card only", () => {
    setCollapsed("c1", "compose", true);
    setCollapsed("c2", "compose", true);
    dropCardLayout("c1");
    expect(collapsedPanels("c1")).toEqual([]);
    expect(collapsedPanels("c2")).toEqual(["compose"]);
    expect("c1" in usePanelLayout.getState().collapsed).toBe(false);
  });
});
