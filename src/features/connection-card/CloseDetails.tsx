import { useState } from "react";
import { closeConnection } from "../../connections/connection.ts";
import { describeCloseCode, isApplicationCloseCode } from "../../protocol/close-codes.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";

/** How the connection ended, and a way to end it with a chosen code and reason. */
export function CloseDetails({ id }: { id: string }) {
  const close = useCardField(id, "close");
  const readyState = useCardField(id, "readyState");
  const opened = useCardField(id, "opened");
  const [code, setCode] = useState("1000");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const open = readyState === "OPEN";

  return (
    <Panel cardId={id} panelKey="close" title="Close">
      <Lesson>
        Either side ends a WebSocket with a close frame carrying a code and an optional reason (RFC
        6455 §7.4). wasClean is true only when both close frames were exchanged before TCP closed;
        1006 means no close frame arrived at all.
      </Lesson>
      <dl className="facts">
        <dt>Code</dt>
        <dd data-testid="close-code" className="mono">
          {close ? close.code : ""}
        </dd>
        <dt>Reason</dt>
        <dd data-testid="close-reason" className="mono">
          {close ? close.reason : ""}
        </dd>
        <dt>wasClean</dt>
        <dd data-testid="close-was-clean" className="mono">
          {close ? String(close.wasClean) : ""}
        </dd>
      </dl>
      {close && <p className="hint">{describeCloseCode(close.code)}</p>}
      {close && !opened && close.code === 1006 && (
        <p className="hint">
          This attempt never opened. Whatever went wrong (no answer, TLS, a refusal, a rejected
          response), the browser reports only 1006 with no reason (WHATWG WebSockets): the verdict
          and the handshake panel say what else is known.
        </p>
      )}
      <form
        className="close-form"
        onSubmit={(event) => {
          event.preventDefault();
          setError(
            closeConnection(id, code === "" ? undefined : Number(code), reason || undefined),
          );
        }}
      >
        <label htmlFor={`${id}-close-code`}>Close code</label>
        <input
          id={`${id}-close-code`}
          type="number"
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <label htmlFor={`${id}-close-reason`}>Close reason</label>
        <input
          id={`${id}-close-reason`}
          type="text"
          value={reason}
          maxLength={123}
          onChange={(event) => setReason(event.target.value)}
        />
        <button type="submit" disabled={!open}>
          Close with code
        </button>
      </form>
      {code !== "" && !isApplicationCloseCode(Number(code)) && (
        <p className="hint">
          Scripts may send only 1000 or 3000–4999: the other codes report conditions only the
          protocol itself detects, so the browser will refuse {code}. Try it to see.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          The browser refused: {error}
        </p>
      )}
    </Panel>
  );
}
