import { dismissNotice, undoReplace, useScenarioNotice } from "../../scenarios/scenario-session.ts";
import "./scenarios.css";

// The parts of the scenarios feature the page shows from the start; the Share panel itself
// (SharePanel.tsx: the link codec, export and import) loads when Share is first pressed.

/** The page-level `Share` button and the panel it opens: a link, a JSON file, an import. */
export function ShareButton({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" aria-expanded={open} aria-controls="share-panel" onClick={onToggle}>
      Share
    </button>
  );
}

/** What happened to the last link, import or tour stop; Undo brings back the replaced cards. */
export function ScenarioNoticeBar() {
  const notice = useScenarioNotice((state) => state.notice);
  if (!notice) return null;
  return (
    <div
      className={`scenario-notice scenario-notice-${notice.kind}`}
      role={notice.kind === "refused" ? "alert" : "status"}
      data-testid="scenario-notice"
    >
      <span>{notice.text}</span>
      {notice.kind === "opened" && notice.canUndo && (
        <button type="button" className="ghost" onClick={undoReplace}>
          Bring back the previous cards
        </button>
      )}
      {notice.kind !== "opening" && (
        <button type="button" className="ghost" aria-label="Dismiss" onClick={dismissNotice}>
          ×
        </button>
      )}
    </div>
  );
}
