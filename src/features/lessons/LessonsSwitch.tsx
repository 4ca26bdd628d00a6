import { Switch } from "../../ui/Switch.tsx";
import { setLessonsShown, useLessons } from "./lessons.ts";
import "./lessons.css";

/** The page-level switch that shows or hides every lesson, and brings back those hidden singly. */
export function LessonsSwitch() {
  const { shown, hidden } = useLessons();
  return (
    <span className="lessons-switch">
      <Switch checked={shown} onChange={setLessonsShown}>
        Lessons
      </Switch>
      {shown && hidden.length > 0 && (
        <button type="button" className="ghost small" onClick={() => setLessonsShown(true)}>
          Show {hidden.length} hidden
          <span className="visually-hidden">{hidden.length === 1 ? " lesson" : " lessons"}</span>
        </button>
      )}
    </span>
  );
}
