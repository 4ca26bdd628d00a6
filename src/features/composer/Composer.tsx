import { withConnection } from "../../connections/connection.ts";
import { formatCount } from "../../shared/format-count.ts";
import {
  type ComposerDraft,
  useCardField,
  useConnections,
} from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { buildPayload, PayloadFormat, prettyJson } from "./composer-payload.ts";
import { EventComposer } from "./EventComposer.tsx";

const FORMATS: { value: PayloadFormat; label: string }[] = [
  { value: PayloadFormat.Text, label: "Text" },
  { value: PayloadFormat.Json, label: "JSON" },
  { value: PayloadFormat.Hex, label: "Hex" },
  { value: PayloadFormat.Base64, label: "Base64" },
];

const MAX_TIMES = 100_000;

/** What the card sends: messages on a raw WebSocket, events in Socket.IO mode. */
export function Composer({ id }: { id: string }) {
  const mode = useCardField(id, "mode");
  return mode === "socketio" ? <EventComposer id={id} /> : <MessageComposer id={id} />;
}

function MessageComposer({ id }: { id: string }) {
  const readyState = useCardField(id, "readyState");
  // The draft lives in the card's state, so a scenario keeps it across reloads and shares it.
  const draft = useCardField(id, "composer");
  const patchCard = useConnections((state) => state.patchCard);
  const { format, text, times } = draft;
  const change = (patch: Partial<ComposerDraft>) =>
    patchCard(id, {
      composer: { ...(useConnections.getState().cards[id]?.composer ?? draft), ...patch },
    });
  const setFormat = (next: PayloadFormat) => change({ format: next });
  const setText = (next: string) => change({ text: next });
  const setTimes = (next: number) => change({ times: next });
  const built = buildPayload(format, text);
  const timesValid = Number.isInteger(times) && times >= 1 && times <= MAX_TIMES;
  const canSend = readyState === "OPEN" && built.ok && timesValid;

  return (
    <Panel cardId={id} panelKey="compose" title="Compose">
      <Lesson>
        Text and JSON go out as text frames (opcode 0x1, UTF-8); hex and base64 become binary frames
        (opcode 0x2). The browser masks every frame it sends with a fresh random key, as RFC 6455
        §5.3 requires of clients.
      </Lesson>
      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault();
          if (!canSend) return;
          const message = { type: "raw" as const, payload: built.payload, times };
          withConnection(id, (connection) => connection.send(id, message));
        }}
      >
        <fieldset className="segmented">
          <legend>Format</legend>
          {FORMATS.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name={`${id}-format`}
                value={option.value}
                checked={format === option.value}
                onChange={() => setFormat(option.value)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-message`} className="visually-hidden">
          Message
        </label>
        <textarea
          id={`${id}-message`}
          rows={3}
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="composer-actions">
          <span className={built.ok ? "hint" : "error"} role={built.ok ? undefined : "alert"}>
            {built.ok
              ? `${formatCount(built.bytes)} bytes, ${format === "hex" || format === "base64" ? "binary" : "text"}`
              : built.reason}
          </span>
          {format === PayloadFormat.Json && (
            <button type="button" className="ghost" onClick={() => setText(prettyJson(text))}>
              Pretty
            </button>
          )}
          <label htmlFor={`${id}-times`}>Times</label>
          <input
            id={`${id}-times`}
            className="times"
            type="number"
            min={1}
            max={MAX_TIMES}
            value={Number.isNaN(times) ? "" : times}
            onChange={(event) => setTimes(event.target.valueAsNumber)}
          />
          <button type="submit" className="primary" disabled={!canSend}>
            Send
          </button>
        </div>
      </form>
    </Panel>
  );
}
