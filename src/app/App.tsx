import { useState } from "react";
import { ConnectionCard } from "../features/connection-card/ConnectionCard.tsx";
import { ConnectionMap } from "../features/connection-map/ConnectionMap.tsx";
import { Lesson } from "../features/lessons/Lesson.tsx";
import { LessonsSwitch } from "../features/lessons/LessonsSwitch.tsx";
import { PresenterSwitch } from "../features/presenter/PresenterSwitch.tsx";
import { ScenarioNoticeBar, ShareButton, SharePanel } from "../features/scenarios/SharePanel.tsx";
import { useConnections } from "../stores/connections-store.ts";

/** The page-level panel open under the header, if any. */
type HeaderPanel = "share" | undefined;

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
          <button type="button" className="primary" onClick={() => addCard()}>
            New connection
          </button>
        </div>
      </header>
      <ScenarioNoticeBar />
      {open === "share" && <SharePanel onClose={() => setOpen(undefined)} />}
      <main className="cards">
        {order.map((id) => (
          <ConnectionCard key={id} id={id} />
        ))}
      </main>
      <ConnectionMap />
    </div>
  );
}
