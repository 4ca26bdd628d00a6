import { useCallback, useMemo, useState } from "react";
import { useCardField } from "../../stores/connections-store.ts";
import { type MessageEntry, messageLogFor } from "../../stores/message-logs.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { FilterSelect } from "../log-view/FilterSelect.tsx";
import { formatTime } from "../log-view/format-time.ts";
import { LogActions, LogCount } from "../log-view/LogControls.tsx";
import { useLogSnapshot } from "../log-view/use-log-snapshot.ts";
import { VirtualLog } from "../log-view/VirtualLog.tsx";
import "./message-log.css";

const DIRECTION_FILTERS = [
  ["all", "All"],
  ["out", "Sent"],
  ["in", "Received"],
  ["event", "Events"],
] as const;
const KIND_FILTERS = [
  ["all", "All types"],
  ["text", "Text"],
  ["binary", "Binary"],
  ["event", "Socket.IO events"],
] as const;
type DirectionFilter = (typeof DIRECTION_FILTERS)[number][0];
type KindFilter = (typeof KIND_FILTERS)[number][0];

const DIRECTION_LABEL: Record<MessageEntry["dir"], string> = {
  out: "↑ sent",
  in: "↓ received",
  event: "• event",
  section: "",
};

/** What the page's JavaScript saw: messages sent and received, plus open/close/error events. */
export function MessageLog({ id }: { id: string }) {
  const number = useCardField(id, "number");
  const store = messageLogFor(id);
  const [direction, setDirection] = useState<DirectionFilter>("all");
  const [kind, setKind] = useState<KindFilter>("all");
  const [search, setSearch] = useState("");
  const [paused, setPaused] = useState(false);

  const filter = useMemo(() => {
    if (direction === "all" && kind === "all" && search === "") return undefined;
    const needle = search.toLowerCase();
    // Section rows stay: a filtered log still shows where each attempt starts.
    return (entry: MessageEntry) =>
      entry.dir === "section" ||
      ((direction === "all" || entry.dir === direction) &&
        (kind === "all" || entry.kind === kind) &&
        (needle === "" ||
          entry.preview.toLowerCase().includes(needle) ||
          entry.namespace?.toLowerCase() === needle));
  }, [direction, kind, search]);
  const snapshot = useLogSnapshot(store, filter, paused);

  const renderRow = useCallback(
    (entry: MessageEntry) =>
      entry.dir === "section" ? (
        <span className="log-section-text" title={entry.preview}>
          Connection attempt {entry.attempt} · {formatTime(entry.at)} · {entry.preview}
        </span>
      ) : (
        <>
          <span className="col-time mono">{formatTime(entry.at)}</span>
          <span className={`col-dir dir-${entry.dir}`}>{DIRECTION_LABEL[entry.dir]}</span>
          <span className="col-kind">{entry.kind}</span>
          <span className="col-size mono">{entry.dir === "event" ? "" : entry.size}</span>
          <span className="col-content mono" title={entry.preview}>
            {entry.namespace !== undefined && (
              <span className="log-namespace" data-testid="log-namespace">
                {entry.namespace}
              </span>
            )}
            {entry.preview}
          </span>
        </>
      ),
    [],
  );

  return (
    <Panel cardId={id} panelKey="message-log" title="Message log" className="log-panel">
      <Lesson>
        What your JavaScript saw: whole messages, as the message event delivers them after the
        browser has reassembled fragments and decompressed them. Frames, masks and control frames
        stay hidden from the WebSocket API.
      </Lesson>
      <div className="log-toolbar">
        <LogCount
          snapshot={snapshot}
          filtered={filter !== undefined}
          noun="message"
          testId="message-count"
        />
        <FilterSelect
          id={`${id}-log-direction`}
          label="Sent or received"
          value={direction}
          options={DIRECTION_FILTERS}
          onChange={setDirection}
        />
        <FilterSelect
          id={`${id}-log-kind`}
          label="Text or binary"
          value={kind}
          options={KIND_FILTERS}
          onChange={setKind}
        />
        <input
          type="search"
          aria-label="Search log"
          placeholder="Search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <LogActions
          store={store}
          snapshot={snapshot}
          paused={paused}
          onPausedChange={setPaused}
          noun="messages"
          fileName={`message-log-connection-${number}.json`}
        />
      </div>
      <VirtualLog
        testId="message-log"
        snapshot={snapshot}
        renderRow={renderRow}
        rowClassName={messageRowClass}
        header={
          <>
            <span className="col-time">time</span>
            <span className="col-dir">direction</span>
            <span className="col-kind">type</span>
            <span className="col-size">bytes</span>
            <span className="col-content">content</span>
          </>
        }
        empty={paused ? "Paused." : "No messages yet."}
      />
    </Panel>
  );
}

function messageRowClass(entry: MessageEntry): string {
  return entry.dir === "section" ? "log-row log-section" : "log-row message-grid";
}
