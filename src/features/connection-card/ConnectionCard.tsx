import { connect, disconnect, forget } from "../../connections/raw-socket.ts";
import { useCardField, useConnections } from "../../stores/connections-store.ts";
import { dropFrameLog } from "../../stores/frame-logs.ts";
import { dropMessageLog } from "../../stores/message-logs.ts";
import { Composer } from "../composer/Composer.tsx";
import { FrameLog } from "../frame-log/FrameLog.tsx";
import { HandshakePanel } from "../handshake/HandshakePanel.tsx";
import { MessageLog } from "../message-log/MessageLog.tsx";
import { NegotiationPanel } from "../negotiation/NegotiationPanel.tsx";
import { CloseDetails } from "./CloseDetails.tsx";
import { EndpointForm } from "./EndpointForm.tsx";
import { SubprotocolInput } from "./SubprotocolInput.tsx";

export function ConnectionCard({ id }: { id: string }) {
  const number = useCardField(id, "number");
  const url = useCardField(id, "url");
  const readyState = useCardField(id, "readyState");
  const patchCard = useConnections((state) => state.patchCard);
  const removeCard = useConnections((state) => state.removeCard);
  const live = readyState === "CONNECTING" || readyState === "OPEN";

  return (
    <article className="card" data-testid="connection-card" aria-labelledby={`${id}-title`}>
      <header className="card-header">
        <h2 id={`${id}-title`}>Connection {number}</h2>
        <span className={`ready-state state-${readyState.toLowerCase()}`} data-testid="ready-state">
          {readyState}
        </span>
        <button
          type="button"
          className="ghost remove"
          aria-label={`Remove card ${number}`}
          title="Remove this card (closes its socket)"
          onClick={() => {
            forget(id);
            dropMessageLog(id);
            dropFrameLog(id);
            removeCard(id);
          }}
        >
          ×
        </button>
      </header>

      <form
        className="url-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (live) disconnect(id);
          else connect(id);
        }}
      >
        <label htmlFor={`${id}-url`}>URL</label>
        <input
          id={`${id}-url`}
          type="text"
          spellCheck={false}
          value={url}
          onChange={(event) => patchCard(id, { url: event.target.value })}
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
          <EndpointForm id={id} />
          <SubprotocolInput id={id} />
          <NegotiationPanel id={id} />
          <CloseDetails id={id} />
        </div>
        <div className="column">
          <Composer id={id} />
          <MessageLog id={id} />
        </div>
      </div>
      <div className="card-wide">
        <FrameLog id={id} />
        <HandshakePanel id={id} />
      </div>
    </article>
  );
}
