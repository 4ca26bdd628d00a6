import { withConnection } from "../../connections/connection.ts";
import {
  binaryArgumentSummary,
  parseEventArguments,
  SOCKET_IO_ACK_TIMEOUT_MS,
} from "../../connections/socketio-settings.ts";
import { type EmitDraft, useCardField, useConnections } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";

/** Emits a Socket.IO event on one of the card's namespaces, with JSON arguments and an optional ack. */
export function EventComposer({ id }: { id: string }) {
  const readyState = useCardField(id, "readyState");
  const namespaces = useCardField(id, "namespaces");
  // The draft lives in the card's state, so a scenario keeps it across reloads and shares it.
  const draft = useCardField(id, "emit");
  const patchCard = useConnections((state) => state.patchCard);
  const { namespace, event, argsText, ack } = draft;
  const change = (patch: Partial<EmitDraft>) =>
    patchCard(id, { emit: { ...(useConnections.getState().cards[id]?.emit ?? draft), ...patch } });
  const setNamespace = (next: string) => change({ namespace: next });
  const setEvent = (next: string) => change({ event: next });
  const setArgsText = (next: string) => change({ argsText: next });
  const setAck = (next: boolean) => change({ ack: next });
  const parsed = parseEventArguments(argsText);
  const names = namespaces.length > 0 ? namespaces.map((ns) => ns.name) : ["/"];
  const chosen = names.includes(namespace) ? namespace : (names[0] ?? "/");
  const binary = parsed.ok ? binaryArgumentSummary(parsed.args) : { count: 0, bytes: 0 };
  const canEmit = readyState === "OPEN" && parsed.ok && event.trim() !== "";

  return (
    <Panel cardId={id} panelKey="emit" title="Compose">
      <Lesson>
        An emit names an event and carries any number of arguments; Socket.IO encodes them as JSON
        inside one WebSocket message (or a polling request), tagged with the namespace. With an
        acknowledgement the server calls you back: the answer and its round trip appear in the log.
        A binary argument turns the packet into a BINARY_EVENT (<code>451-["echo",…]</code>) whose
        bytes follow in a frame of their own.
      </Lesson>
      <form
        className="composer"
        onSubmit={(submitted) => {
          submitted.preventDefault();
          if (!canEmit || !parsed.ok) return;
          const message = {
            type: "event" as const,
            namespace: chosen,
            event: event.trim(),
            args: parsed.args,
            ack,
          };
          withConnection(id, (connection) => connection.send(id, message));
        }}
      >
        <div className="composer-actions">
          <label htmlFor={`${id}-emit-namespace`}>Namespace</label>
          <select
            id={`${id}-emit-namespace`}
            value={chosen}
            onChange={(changed) => setNamespace(changed.target.value)}
          >
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-event`}>Event</label>
          <input
            id={`${id}-event`}
            type="text"
            spellCheck={false}
            value={event}
            onChange={(changed) => setEvent(changed.target.value)}
          />
        </div>
        {/* Named "Message", as the raw composer's field is (SPEC's stable name), for the
            event's arguments: what a test or a person types as the message to emit. */}
        <label htmlFor={`${id}-event-args`}>Message</label>
        <p className="hint" id={`${id}-event-args-syntax`}>
          The event&apos;s arguments, comma-separated: each JSON (<code>"Hello"</code>,{" "}
          <code>2</code>, <code>{'{"a": 1}'}</code>) or binary (<code>hex:01 02 ff</code> or{" "}
          <code>base64:AQL/</code> is sent as bytes, not text). Plain text that is not JSON goes as
          one string.
        </p>
        <textarea
          id={`${id}-event-args`}
          aria-describedby={`${id}-event-args-syntax`}
          rows={2}
          spellCheck={false}
          value={argsText}
          onChange={(changed) => setArgsText(changed.target.value)}
        />
        <div className="composer-actions">
          <span
            className={parsed.ok ? "hint" : "error"}
            role={parsed.ok ? undefined : "alert"}
            data-testid="event-args-summary"
          >
            {parsed.ok && parsed.asText
              ? "1 argument: your text as one string (it is not JSON)"
              : parsed.ok
                ? `${parsed.args.length} ${parsed.args.length === 1 ? "argument" : "arguments"}${
                    binary.count > 0
                      ? `, ${binary.count} binary (${binary.bytes} ${binary.bytes === 1 ? "byte" : "bytes"})`
                      : ""
                  }`
                : parsed.reason}
          </span>
          <label className="toggle">
            <input
              type="checkbox"
              checked={ack}
              onChange={(changed) => setAck(changed.target.checked)}
            />
            Ask for an acknowledgement ({SOCKET_IO_ACK_TIMEOUT_MS / 1000} s timeout)
          </label>
          <button type="submit" className="primary" disabled={!canEmit}>
            Emit
          </button>
        </div>
      </form>
    </Panel>
  );
}
