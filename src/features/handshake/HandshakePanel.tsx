import { expectedAccept } from "../../protocol/accept-key.ts";
import { headerValue } from "../../protocol/header-list.ts";
import type { HandshakeEvent } from "../../protocol/inspector-events.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { headerNote, missingHandshakeNote, shortenLine, statusNote } from "./header-notes.ts";

/** The opening handshake exactly as it crossed the wire, each WebSocket header explained. */
export function HandshakePanel({ id }: { id: string }) {
  const handshake = useCardField(id, "handshake");
  const tapId = useCardField(id, "tapId");
  const attempted = useCardField(id, "attempted");
  const constructError = useCardField(id, "constructError");
  const serverRecord = useCardField(id, "serverRecord");
  const attemptUrl = useCardField(id, "attemptUrl");

  return (
    <Panel cardId={id} panelKey="handshake" title="Handshake">
      <Lesson>
        A WebSocket starts as one HTTP/1.1 request with an Upgrade header; a 101 response switches
        the same TCP connection to frames (RFC 6455 §4). The browser shows scripts none of these
        headers: the companion server recorded them as they crossed the wire.
      </Lesson>
      <div data-testid="handshake">
        {handshake ? (
          <HandshakeDetails handshake={handshake} />
        ) : (
          <p className="hint">
            {missingHandshakeNote({
              attempted,
              constructError,
              tapId,
              serverRecord,
              attemptUrl,
              pageHost: location.host,
              pageProtocol: location.protocol,
            })}
          </p>
        )}
      </div>
    </Panel>
  );
}

function HandshakeDetails({ handshake }: { handshake: HandshakeEvent }) {
  const { request, response } = handshake;
  // Over HTTP/2 there is no start line: the pseudo-headers (:method, :protocol, :path…,
  // :status) are among the headers, and 200 accepts the WebSocket (RFC 8441).
  const h2 = handshake.transport === "h2";
  const key = headerValue(request.headers, "Sec-WebSocket-Key");
  const accept = headerValue(response.headers, "Sec-WebSocket-Accept");
  const computed = key ? expectedAccept(key) : undefined;

  return (
    <div className="handshake">
      <div className="http-pair">
        <div>
          <h4 className="message-label">Request (browser → server)</h4>
          <pre className="http-message mono">
            {h2 ? (
              <span className="note">
                HTTP/2 HEADERS on stream {handshake.stream} of TCP connection {handshake.connection}
                : an extended CONNECT (RFC 8441), no Upgrade and no Sec-WebSocket-Key.
              </span>
            ) : (
              <span className="start-line" title={request.url}>
                {shortenLine(`${request.method} ${request.url} HTTP/${request.httpVersion}`)}
              </span>
            )}
            {request.headers.map(([name, value], index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat; its position is its identity.
              <HeaderLine key={`${name}-${index}`} side="request" name={name} value={value} />
            ))}
          </pre>
        </div>
        <div>
          <h4 className="message-label">Response (server → browser)</h4>
          <pre className="http-message mono">
            {h2 ? (
              <span className="note">
                {response.status === 200
                  ? "HTTP/2 HEADERS :status 200: the stream now carries WebSocket frames, both ways (RFC 8441 §5: 200, not 101, and no Sec-WebSocket-Accept)."
                  : statusNote(response.status)}
              </span>
            ) : (
              <>
                <span className="start-line">
                  HTTP/1.1 {response.status} {response.statusText}
                </span>
                <span className="note">{statusNote(response.status)}</span>
              </>
            )}
            {response.headers.map(([name, value], index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat; its position is its identity.
              <HeaderLine key={`${name}-${index}`} side="response" name={name} value={value} />
            ))}
            {response.body && (
              <span className="body">
                {"\n"}
                {response.body}
              </span>
            )}
          </pre>
        </div>
      </div>
      {key && accept && computed && (
        <p className={computed === accept ? "hint" : "error"} data-testid="accept-check">
          {computed === accept
            ? `✓ Sec-WebSocket-Accept checks out: base64(SHA-1("${key}" + GUID)) = ${computed}`
            : `✗ Sec-WebSocket-Accept should be ${computed}`}
        </p>
      )}
    </div>
  );
}

function HeaderLine({
  side,
  name,
  value,
}: {
  side: "request" | "response";
  name: string;
  value: string;
}) {
  const note = headerNote(side, name, value);
  return (
    <>
      <span className="header-line">
        <span className="header-name">{name}:</span> {value}
      </span>
      {note && <span className="note">{note}</span>}
    </>
  );
}
