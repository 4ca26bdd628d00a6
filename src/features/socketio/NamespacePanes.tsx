import { useState } from "react";
import { withConnection } from "../../connections/connection.ts";
import { useCardField } from "../../stores/connections-store.ts";
import type { MessageEntry } from "../../stores/message-logs.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { formatTime } from "../log-view/format-time.ts";
import { useNamespaceEvents } from "./use-namespace-events.ts";
import { WireLesson } from "./WireLesson.tsx";

const ARROW: Record<MessageEntry["dir"], string> = {
  out: "↑",
  in: "↓",
  event: "•",
  section: "",
};

/** A pane per Socket.IO namespace of the card (its state and newest events), then the wire lesson. */
export function NamespacePanes({ id }: { id: string }) {
  return (
    <>
      <NamespaceList id={id} />
      <WireLesson id={id} />
    </>
  );
}

function NamespaceList({ id }: { id: string }) {
  const namespaces = useCardField(id, "namespaces");
  return (
    <Panel cardId={id} panelKey="namespaces" title="Namespaces">
      <Lesson>
        Each namespace is a channel of its own, with its own events and its own socket id, yet all
        of them travel over the one Engine.IO connection below: every pane shows the same Engine.IO
        sid. Socket.IO tags each packet with its namespace (<code>42/chat,["said",…]</code>), which
        plain WebSocket has no notion of.
      </Lesson>
      {namespaces.length === 0 && <p className="hint">Connect to open the namespaces.</p>}
      <div className="namespace-panes">
        {namespaces.map((namespace) => (
          <NamespacePane key={namespace.name} id={id} name={namespace.name} />
        ))}
      </div>
    </Panel>
  );
}

function NamespacePane({ id, name }: { id: string; name: string }) {
  const namespace = useCardField(id, "namespaces").find((ns) => ns.name === name);
  const events = useNamespaceEvents(id, name);
  const headingId = `${id}-ns-${name}`;
  return (
    <section className="namespace-pane" data-testid="namespace-pane" aria-labelledby={headingId}>
      <h4 id={headingId} className="mono">
        {name}
      </h4>
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="namespace-state">{namespace?.connected ? "connected" : "disconnected"}</dd>
        <dt>Socket id</dt>
        <dd className="mono">{namespace?.socketId}</dd>
        <dt>Engine.IO sid</dt>
        <dd className="mono" data-testid="namespace-engine-sid">
          {namespace?.engineSid}
        </dd>
      </dl>
      {name === "/chat" && <RoomForm id={id} connected={namespace?.connected ?? false} />}
      {namespace?.problem && !namespace.connected && (
        <p className="hint">Last: {namespace.problem}</p>
      )}
      <ol className="namespace-events mono" aria-label={`Log of ${name}`}>
        {events.length === 0 && <li className="hint">No events yet.</li>}
        {events.map((entry) => (
          <li key={entry.seq} className={`dir-${entry.dir}`} title={entry.preview}>
            <span className="namespace-event-time">{formatTime(entry.at)}</span> {ARROW[entry.dir]}{" "}
            {entry.preview}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Joins or leaves a `/chat` room: what `join` and `leave` emits do, one click away. */
function RoomForm({ id, connected }: { id: string; connected: boolean }) {
  const [room, setRoom] = useState("lobby");
  const emit = (event: "join" | "leave") => {
    const message = { type: "event" as const, namespace: "/chat", event, args: [room], ack: false };
    withConnection(id, (connection) => connection.send(id, message));
  };
  const disabled = !connected || room.trim() === "";
  return (
    <div className="room-form">
      <label htmlFor={`${id}-room`}>Room</label>
      <input
        id={`${id}-room`}
        type="text"
        spellCheck={false}
        value={room}
        onChange={(event) => setRoom(event.target.value)}
      />
      <button type="button" disabled={disabled} onClick={() => emit("join")}>
        Join room
      </button>
      <button type="button" disabled={disabled} onClick={() => emit("leave")}>
        Leave room
      </button>
    </div>
  );
}
