import { ConnectionCard } from "../features/connection-card/ConnectionCard.tsx";
import { ConnectionMap } from "../features/connection-map/ConnectionMap.tsx";
import { Lesson } from "../features/lessons/Lesson.tsx";
import { PresenterSwitch } from "../features/presenter/PresenterSwitch.tsx";
import { useConnections } from "../stores/connections-store.ts";

export function App() {
  const order = useConnections((state) => state.order);
  const addCard = useConnections((state) => state.addCard);

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
          <PresenterSwitch />
          <button type="button" className="primary" onClick={() => addCard()}>
            New connection
          </button>
        </div>
      </header>
      <main className="cards">
        {order.map((id) => (
          <ConnectionCard key={id} id={id} />
        ))}
      </main>
      <ConnectionMap />
    </div>
  );
}
