import type { ReactNode } from "react";
import { usePanelInfo } from "../../ui/panel-context.ts";
import { hideLesson, useLessons } from "./lessons.ts";
import "./lessons.css";

/**
 * The two or three plain sentences each panel opens with, saying what the reader is seeing.
 * Inside a panel it has a Hide button that puts this panel's lesson away on every card.
 */
export function Lesson({ children }: { children: ReactNode }) {
  const panel = usePanelInfo();
  const { shown, hidden } = useLessons();
  if (!shown || (panel && hidden.includes(panel.panelKey))) return null;
  if (!panel) return <p className="lesson">{children}</p>;
  return (
    <div className="lesson-box">
      <p className="lesson">{children}</p>
      <button
        type="button"
        className="ghost small lesson-hide"
        title="Hide this lesson on every card (the Lessons switch brings it back)"
        onClick={() => hideLesson(panel.panelKey)}
      >
        {/* Named by its text, not aria-label: getByLabel("Message") must not find it. */}
        Hide<span className="visually-hidden"> the {panel.title} lesson</span>
      </button>
    </div>
  );
}
