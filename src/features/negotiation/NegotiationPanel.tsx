import { useQuery } from "@tanstack/react-query";
import { useCardField } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { endpointsQuery } from "../endpoints/endpoints-query.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { negotiationVerdict } from "./verdict.ts";

/** What was negotiated (socket.protocol, socket.extensions) and a verdict in plain words. */
export function NegotiationPanel({ id }: { id: string }) {
  const readyState = useCardField(id, "readyState");
  const attempted = useCardField(id, "attempted");
  const opened = useCardField(id, "opened");
  const offered = useCardField(id, "offered");
  const attemptUrl = useCardField(id, "attemptUrl");
  const protocol = useCardField(id, "protocol");
  const extensions = useCardField(id, "extensions");
  const constructError = useCardField(id, "constructError");
  const tapId = useCardField(id, "tapId");
  const handshake = useCardField(id, "handshake");
  const serverRecord = useCardField(id, "serverRecord");
  const { data: endpoints } = useQuery(endpointsQuery);

  const phase = !attempted
    ? "idle"
    : opened
      ? "open"
      : readyState === "CONNECTING"
        ? "connecting"
        : "failed";
  const verdict = negotiationVerdict({
    url: attemptUrl,
    pageHost: location.host,
    pageProtocol: location.protocol,
    offered,
    phase,
    protocol,
    extensions,
    constructError,
    tapId,
    handshake,
    serverRecord,
    endpoints,
  });

  return (
    <Panel cardId={id} panelKey="negotiated" title="Negotiated">
      <Lesson>
        After the handshake, socket.protocol holds the one subprotocol the server chose and
        socket.extensions the extensions it accepted, such as permessage-deflate (RFC 6455 §9). Both
        are empty strings when nothing was agreed.
      </Lesson>
      <dl className="facts">
        <dt>Protocol</dt>
        <dd data-testid="negotiated-protocol" className="mono">
          {protocol}
        </dd>
        <dt>Extensions</dt>
        <dd data-testid="negotiated-extensions" className="mono">
          {extensions}
        </dd>
      </dl>
      <div className={`verdict verdict-${verdict.tone}`} data-testid="negotiation-verdict">
        <strong>{verdict.title}</strong>
        <p>{verdict.detail}</p>
      </div>
    </Panel>
  );
}
