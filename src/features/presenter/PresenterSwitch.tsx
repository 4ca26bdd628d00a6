import { setPresenter, usePresenter } from "./presenter.ts";

/** The page-level switch that scales type, spacing and state badges for a projector. */
export function PresenterSwitch() {
  const on = usePresenter();
  return (
    <label className="toggle presenter-switch">
      <input
        type="checkbox"
        role="switch"
        checked={on}
        aria-checked={on}
        onChange={(event) => setPresenter(event.currentTarget.checked)}
      />
      Presenter mode
    </label>
  );
}
