import { Switch } from "../../ui/Switch.tsx";
import { setPresenter, usePresenter } from "./presenter.ts";

/** The page-level switch that scales type, spacing and state badges for a projector. */
export function PresenterSwitch() {
  const on = usePresenter();
  return (
    <Switch className="presenter-switch" checked={on} onChange={setPresenter}>
      Presenter mode
    </Switch>
  );
}
