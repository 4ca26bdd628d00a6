import { parseAuthPayload, parseEventNameList } from "../../connections/socketio-settings.ts";
import {
  type SocketIoListen,
  type SocketIoTransports,
  useCardField,
  useConnections,
} from "../../stores/connections-store.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { formatTime } from "../log-view/format-time.ts";
import "./socketio.css";
import { Panel } from "../../ui/Panel.tsx";

const TRANSPORTS: { value: SocketIoTransports; label: string }[] = [
  { value: "polling-upgrade", label: "Polling, then upgrade" },
  { value: "websocket", label: "WebSocket only" },
];

const LISTEN: { value: SocketIoListen; label: string }[] = [
  { value: "all", label: "Listen to all (onAny)" },
  { value: "named", label: "Listen to the names below only" },
];

/** The card's Socket.IO options and its one Engine.IO connection as it happens. */
export function SocketIoPanel({ id }: { id: string }) {
  const settings = useCardField(id, "socketIo");
  const engine = useCardField(id, "engine");
  const readyState = useCardField(id, "readyState");
  const loadError = useCardField(id, "socketIoLoadError");
  const patchCard = useConnections((state) => state.patchCard);
  const locked = readyState === "CONNECTING" || readyState === "OPEN";
  const connected = readyState === "OPEN";
  const auth = parseAuthPayload(settings.authText);
  const listenNames = parseEventNameList(settings.listenEventsText);

  return (
    <Panel cardId={id} panelKey="socketio" title="Socket.IO">
      <Lesson>
        Socket.IO is a protocol on top of WebSocket, not WebSocket: it wraps every message in its
        own packets (Engine.IO, then Socket.IO), so a plain WebSocket client cannot talk to it. By
        default it starts with HTTP long-polling, which gets through any proxy, then probes a
        WebSocket and upgrades to it, keeping the same session id.
      </Lesson>
      {loadError && (
        <p className="error" role="alert">
          The Socket.IO client could not be loaded: {loadError}
        </p>
      )}
      <label htmlFor={`${id}-namespaces`}>Namespaces</label>
      <input
        id={`${id}-namespaces`}
        type="text"
        spellCheck={false}
        disabled={locked}
        value={settings.namespacesText}
        onChange={(event) =>
          patchCard(id, { socketIo: { ...settings, namespacesText: event.target.value } })
        }
      />
      <fieldset className="segmented" disabled={locked}>
        <legend>Transports</legend>
        {TRANSPORTS.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name={`${id}-transports`}
              value={option.value}
              checked={settings.transports === option.value}
              onChange={() =>
                patchCard(id, { socketIo: { ...settings, transports: option.value } })
              }
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {settings.transports === "polling-upgrade" && isOtherServer(settings.url) && (
        <p className="hint" data-testid="polling-blocked">
          This page may open WebSockets to any server but send HTTP requests only to its own (its
          Content-Security-Policy), so long-polling to another server is blocked: choose WebSocket
          only there.
        </p>
      )}
      <label htmlFor={`${id}-auth`}>Auth payload (JSON object, optional)</label>
      <textarea
        id={`${id}-auth`}
        rows={2}
        spellCheck={false}
        disabled={locked}
        placeholder='{"token": "abc"}'
        aria-describedby={`${id}-auth-hint`}
        value={settings.authText}
        onChange={(event) =>
          patchCard(id, { socketIo: { ...settings, authText: event.target.value } })
        }
      />
      <p
        id={`${id}-auth-hint`}
        className={auth.ok ? "hint" : "error"}
        role={auth.ok ? undefined : "alert"}
        data-testid="auth-hint"
      >
        {auth.ok
          ? auth.auth
            ? `Sent as auth in every namespace's CONNECT packet: 40${JSON.stringify(auth.auth)} (40/chat,… for /chat). This server ignores it; a real one would check a token here.`
            : "None: each namespace's CONNECT packet is a bare 40 (40/chat, for /chat)."
          : auth.reason}
      </p>
      <fieldset className="segmented" disabled={locked}>
        <legend>Listen to</legend>
        {LISTEN.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name={`${id}-listen`}
              value={option.value}
              checked={settings.listen === option.value}
              onChange={() => patchCard(id, { socketIo: { ...settings, listen: option.value } })}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {settings.listen === "named" && (
        <>
          <label htmlFor={`${id}-listen-events`}>Names to listen to (comma-separated)</label>
          <input
            id={`${id}-listen-events`}
            type="text"
            spellCheck={false}
            disabled={locked}
            value={settings.listenEventsText}
            onChange={(event) =>
              patchCard(id, { socketIo: { ...settings, listenEventsText: event.target.value } })
            }
          />
        </>
      )}
      <p className="hint" data-testid="listen-hint">
        {settings.listen === "all"
          ? "onAny: one catch-all listener per namespace shows every event the server sends, whatever its name."
          : `socket.on(name) for ${listenNames.length > 0 ? listenNames.join(", ") : "no event"} only: the client still receives every other event on the wire (the frame log shows it) but, with no listener, drops it unseen.`}
      </p>
      {locked && (
        <p className="hint">
          Disconnect to change the namespaces, transports, auth payload or listened events.
        </p>
      )}
      <h4>Engine.IO connection</h4>
      <dl className="facts engine-facts">
        <dt>State</dt>
        <dd data-testid="engine-state">{connected ? "connected" : "disconnected"}</dd>
        <dt>sid</dt>
        <dd className="mono" data-testid="engine-sid">
          {engine?.sid}
        </dd>
        <dt>Transport</dt>
        <dd className="mono" data-testid="engine-transport">
          {engine?.transport}
        </dd>
        <dt>Upgrade</dt>
        <dd data-testid="engine-upgrade">
          {engine ? upgradeText(engine.transport, engine.upgrading, engine.upgradedAt) : ""}
        </dd>
      </dl>
    </Panel>
  );
}

function isOtherServer(url: string): boolean {
  try {
    return new URL(url).host !== location.host;
  } catch {
    return false;
  }
}

function upgradeText(
  transport: string,
  upgrading: string | undefined,
  upgradedAt: number | undefined,
): string {
  if (upgrading) return `probing ${upgrading}…`;
  if (upgradedAt !== undefined) return `upgraded to ${transport} at ${formatTime(upgradedAt)}`;
  return transport === "websocket" ? "none needed: WebSocket from the start" : "not yet";
}
