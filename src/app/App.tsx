import { lazy, Suspense, useState } from "react";
import { ConnectionCard } from "../features/connection-card/ConnectionCard.tsx";
import { ConnectionMap } from "../features/connection-map/ConnectionMap.tsx";
import { Lesson } from "../features/lessons/Lesson.tsx";
import { LessonsSwitch } from "../features/lessons/LessonsSwitch.tsx";
import { PresenterSwitch } from "../features/presenter/PresenterSwitch.tsx";
import { ScenarioNoticeBar, ShareButton } from "../features/scenarios/ScenarioNotice.tsx";
import { TourButton } from "../features/tour/TourButton.tsx";
import { useConnections } from "../stores/connections-store.ts";

/** The page-level panel open under the header, if any. */
type HeaderPanel = "share" | "tour" | undefined;

// The Share panel, and the tour's stops and their scenarios, load when first opened.
const SharePanel = lazy(() =>
  import("../features/scenarios/SharePanel.tsx").then((loaded) => ({
    default: loaded.SharePanel,
  })),
);
const TourPanel = lazy(() =>
  import("../features/tour/TourPanel.tsx").then((loaded) => ({ default: loaded.TourPanel })),
);

export function App() {
  const order = useConnections((state) => state.order);
  const addCard = useConnections((state) => state.addCard);
  const [open, setOpen] = useState<HeaderPanel>();
  const toggle = (panel: Exclude<HeaderPanel, undefined>) =>
    setOpen((current) => (current === panel ? undefined : panel));

  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>WebSocket Playground</h1>
          <Lesson>
            Open WebSocket connections to the companion server (or any server), negotiate
            subprotocols and watch what each side does. Every card is one independent connection:
            open several to compare them side by side.
          </Lesson>
        </div>
        <div className="app-actions">
          <LessonsSwitch />
          <PresenterSwitch />
          <ShareButton open={open === "share"} onToggle={() => toggle("share")} />
          <TourButton open={open === "tour"} onToggle={() => toggle("tour")} />
          <button type="button" className="primary" onClick={() => addCard()}>
            New connection
          </button>
        </div>
      </header>
      <ScenarioNoticeBar />
      {open === "share" && (
        <Suspense
          fallback={
            <p id="share-panel" className="hint" role="status">
              Loading the Share panel…
            </p>
          }
        >
          <SharePanel onClose={() => setOpen(undefined)} />
        </Suspense>
      )}
      {open === "tour" && (
        <Suspense
          fallback={
            <p id="tour-panel" className="hint" role="status">
              Loading the tour…
            </p>
          }
        >
          <TourPanel onClose={() => setOpen(undefined)} />
        </Suspense>
      )}
      <main className="cards">
        {order.map((id) => (
          <ConnectionCard key={id} id={id} />
        ))}
      </main>
      <ConnectionMap />
    </div>
  );
}
