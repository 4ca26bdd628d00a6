import {
  type ComponentType,
  lazy,
  type ReactNode,
  Suspense,
  startTransition,
  useEffect,
  useState,
} from "react";
import { switchMode, withConnection } from "../../connections/connection.ts";
import { discardCard } from "../../scenarios/scenario-session.ts";
import { useCardField, useConnections } from "../../stores/connections-store.ts";
import { Switch } from "../../ui/Switch.tsx";
import { safeUrl } from "./endpoint-url.ts";
import { PanelLoadBoundary } from "./PanelLoadBoundary.tsx";

// The card's panels are chunks of their own: the first paint needs only the card's header and
// URL row. They are requested after the first commit (see useRevealedGroups), not while the
// startup task runs: eight import() calls and their promise chains made that task 10-20 ms longer.

/** Imports a module on its first call; later calls share that request. */
function loader<M>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}

const endpointForm = loader(() => import("./EndpointForm.tsx"));
const subprotocolInput = loader(() => import("./SubprotocolInput.tsx"));
const composer = loader(() => import("../composer/Composer.tsx"));
const messageLog = loader(() => import("../message-log/MessageLog.tsx"));
const negotiationPanel = loader(() => import("../negotiation/NegotiationPanel.tsx"));
const closeDetails = loader(() => import("./CloseDetails.tsx"));
const reconnectPanel = loader(() => import("../reconnect/ReconnectPanel.tsx"));
const faultsPanel = loader(() => import("../faults/FaultsPanel.tsx"));
const frameLog = loader(() => import("../frame-log/FrameLog.tsx"));
const handshakePanel = loader(() => import("../handshake/HandshakePanel.tsx"));
const compressionPanel = loader(() => import("../compression/CompressionPanel.tsx"));
// Only a card pointed at /mux loads the lanes.
const muxPanel = loader(() => import("../mux/MuxPanel.tsx"));
// Only a card in Socket.IO mode loads these (not part of GROUPS); the client itself comes with
// the adapter when the switch is first used (connections/connection.ts).
const socketIoPanel = loader(() => import("../socketio/SocketIoPanel.tsx"));
const namespacePanes = loader(() => import("../socketio/NamespacePanes.tsx"));

type Panel = ComponentType<{ id: string }>;
const panel = <M,>(load: () => Promise<M>, pick: (loaded: M) => Panel) =>
  lazy(() => load().then((loaded) => ({ default: pick(loaded) })));

const EndpointForm = panel(endpointForm, (m) => m.EndpointForm);
const SubprotocolInput = panel(subprotocolInput, (m) => m.SubprotocolInput);
const Composer = panel(composer, (m) => m.Composer);
const MessageLog = panel(messageLog, (m) => m.MessageLog);
const NegotiationPanel = panel(negotiationPanel, (m) => m.NegotiationPanel);
const CloseDetails = panel(closeDetails, (m) => m.CloseDetails);
const ReconnectPanel = panel(reconnectPanel, (m) => m.ReconnectPanel);
const FaultsPanel = panel(faultsPanel, (m) => m.FaultsPanel);
const FrameLog = panel(frameLog, (m) => m.FrameLog);
const HandshakePanel = panel(handshakePanel, (m) => m.HandshakePanel);
const CompressionPanel = panel(compressionPanel, (m) => m.CompressionPanel);
const MuxPanel = panel(muxPanel, (m) => m.MuxPanel);
const SocketIoPanel = panel(socketIoPanel, (m) => m.SocketIoPanel);
const NamespacePanes = panel(namespacePanes, (m) => m.NamespacePanes);

/**
 * The groups of panels in the order they appear, what is above the fold first; each loads its
 * own code. Group n is shown once `revealed > n`.
 */
const GROUPS: readonly (() => Promise<unknown>)[] = [
  () => Promise.all([endpointForm(), subprotocolInput(), composer()]),
  messageLog,
  () => Promise.all([negotiationPanel(), closeDetails(), reconnectPanel(), faultsPanel()]),
  () => Promise.all([frameLog(), handshakePanel(), compressionPanel()]),
];

/**
 * How many groups of panels the card shows: none on its first render, then one more per frame
 * once its code has arrived. Mounting the whole card in one go was a single 70-250 ms task (its
 * render, its commit and the layout the virtual logs force at mount); one group per frame keeps
 * each task short and lets the header and URL row paint, and be typed in, at once.
 */
function useRevealedGroups(): number {
  const [revealed, setRevealed] = useState(0);
  useEffect(() => {
    // Every group's code is requested at once, after this card's first commit, so that they
    // download together; a failure is reported where the panel would be (PanelLoadBoundary).
    if (revealed === 0) for (const load of GROUPS) load().catch(() => {});
    const next = GROUPS[revealed];
    if (!next) return;
    let cancel = () => {};
    let cancelled = false;
    const reveal = () => {
      if (cancelled) return;
      cancel = afterNextPaint(() => startTransition(() => setRevealed(revealed + 1)));
    };
    // A chunk that failed to load still reveals its group: PanelLoadBoundary says so there.
    next().then(reveal, reveal);
    return () => {
      cancelled = true;
      cancel();
    };
  }, [revealed]);
  return revealed;
}

/** Calls `callback` in a task after the next frame is painted; returns a canceller. */
function afterNextPaint(callback: () => void): () => void {
  // A hidden tab gets no animation frames: go on without one.
  let timer = setTimeout(run, 100);
  const frame = requestAnimationFrame(() => {
    clearTimeout(timer);
    timer = setTimeout(run, 0);
  });
  function run() {
    cancelAnimationFrame(frame);
    callback();
  }
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** Stands in for panels not shown yet, roughly their height, so the page does not jump. */
function PanelPlaceholder({ size }: { size: "short" | "tall" }) {
  return <div className={`panel panel-placeholder panel-placeholder-${size}`} aria-hidden="true" />;
}

/** Panels of one group: their placeholder until the group is revealed and its code is there. */
function Group({
  shown,
  size,
  children,
}: {
  shown: boolean;
  size: "short" | "tall";
  children: ReactNode;
}) {
  const placeholder = <PanelPlaceholder size={size} />;
  if (!shown) return placeholder;
  return (
    <PanelLoadBoundary>
      <Suspense fallback={placeholder}>{children}</Suspense>
    </PanelLoadBoundary>
  );
}

export function ConnectionCard({ id }: { id: string }) {
  const number = useCardField(id, "number");
  const mode = useCardField(id, "mode");
  const rawUrl = useCardField(id, "url");
  const socketIo = useCardField(id, "socketIo");
  const url = mode === "socketio" ? socketIo.url : rawUrl;
  const readyState = useCardField(id, "readyState");
  const patchCard = useConnections((state) => state.patchCard);
  const live = readyState === "CONNECTING" || readyState === "OPEN";
  const revealed = useRevealedGroups();

  return (
    <article className="card" data-testid="connection-card" aria-labelledby={`${id}-title`}>
      <header className="card-header">
        <h2 id={`${id}-title`}>Connection {number}</h2>
        <Switch
          className="mode-switch"
          checked={mode === "socketio"}
          onChange={(on) => switchMode(id, on ? "socketio" : "websocket")}
        >
          Socket.IO
        </Switch>
        <span className={`ready-state state-${readyState.toLowerCase()}`} data-testid="ready-state">
          {readyState}
        </span>
        <button
          type="button"
          className="ghost remove"
          aria-label={`Remove card ${number}`}
          title="Remove this card (closes its socket)"
          onClick={() => discardCard(id)}
        >
          ×
        </button>
      </header>

      <form
        className="url-row"
        onSubmit={(event) => {
          event.preventDefault();
          withConnection(id, (connection) => {
            if (live) connection.close(id);
            else connection.connect(id);
          });
        }}
      >
        <label htmlFor={`${id}-url`}>URL</label>
        <input
          id={`${id}-url`}
          type="text"
          spellCheck={false}
          value={url}
          onChange={(event) =>
            patchCard(
              id,
              mode === "socketio"
                ? { socketIo: { ...socketIo, url: event.target.value } }
                : { url: event.target.value },
            )
          }
        />
        {live ? (
          <button type="submit" className="danger">
            Disconnect
          </button>
        ) : (
          <button type="submit" className="primary">
            Connect
          </button>
        )}
      </form>

      <div className="card-body">
        <div className="column">
          {mode === "socketio" ? (
            <Group shown={revealed > 0} size="tall">
              <SocketIoPanel id={id} />
            </Group>
          ) : (
            <>
              <Group shown={revealed > 0} size="tall">
                <EndpointForm id={id} />
                <SubprotocolInput id={id} />
              </Group>
              <Group shown={revealed > 2} size="tall">
                <NegotiationPanel id={id} />
                <CloseDetails id={id} />
                <FaultsPanel id={id} />
              </Group>
            </>
          )}
        </div>
        <div className="column">
          <Group shown={revealed > 0} size="short">
            <Composer id={id} />
          </Group>
          <Group shown={revealed > 1} size="tall">
            <MessageLog id={id} />
          </Group>
          <Group shown={revealed > 2} size="short">
            <ReconnectPanel id={id} />
          </Group>
        </div>
      </div>
      <div className="card-wide">
        {mode === "socketio" && (
          <Group shown={revealed > 0} size="tall">
            <NamespacePanes id={id} />
          </Group>
        )}
        {mode === "websocket" && isMuxUrl(url) && (
          <Group shown={revealed > 2} size="short">
            <MuxPanel id={id} />
          </Group>
        )}
        <Group shown={revealed > 3} size="tall">
          <FrameLog id={id} />
          <HandshakePanel id={id} />
        </Group>
        {mode === "websocket" && (
          <Group shown={revealed > 3} size="short">
            <CompressionPanel id={id} />
          </Group>
        )}
      </div>
    </article>
  );
}

/** Whether a URL points at the multiplexing endpoint, whose lanes the card then shows. */
function isMuxUrl(url: string): boolean {
  return safeUrl(url)?.pathname === "/mux";
}
