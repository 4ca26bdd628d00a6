import { useCallback, useMemo, useState } from "react";
import { formatHex } from "../../protocol/binary-text.ts";
import type { FrameEvent, HttpEvent } from "../../protocol/inspector-events.ts";
import { formatCount } from "../../shared/format-count.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { frameLogFor } from "../../stores/frame-logs.ts";
import type { FrameLogRow, FrameRow, HttpRow } from "../../stores/frame-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { FilterSelect } from "../log-view/FilterSelect.tsx";
import { formatTime } from "../log-view/format-time.ts";
import { LogActions, LogCount } from "../log-view/LogControls.tsx";
import { useLogSnapshot } from "../log-view/use-log-snapshot.ts";
import { VirtualLog } from "../log-view/VirtualLog.tsx";
import { FrameDiagram } from "./FrameDiagram.tsx";
import "./frame-log.css";
import { httpRowText, isLabelError } from "./http-row.ts";
import { noFramesReason } from "./no-frames.ts";

type DirectionFilter = (typeof DIRECTION_FILTERS)[number][0];
type KindFilter = (typeof KIND_FILTERS)[number][0];

const DIRECTION_LABEL = { in: "→ to server", out: "← to client" } as const;

function matchesKind(frame: FrameEvent, kind: KindFilter): boolean {
  if (kind === "all") return true;
  if (kind === "http") return false;
  if (kind === "data") return frame.opcode >= 0 && frame.opcode < 8;
  if (kind === "control") return frame.opcode >= 8;
  return frame.opname === kind;
}

const DIRECTION_FILTERS = [
  ["all", "Both ways"],
  ["in", "To server"],
  ["out", "To client"],
] as const;

const KIND_FILTERS = [
  ["all", "All types"],
  ["data", "Data"],
  ["control", "Control"],
  ["text", "text"],
  ["binary", "binary"],
  ["continuation", "continuation"],
  ["close", "close"],
  ["ping", "ping"],
  ["pong", "pong"],
  ["http", "HTTP (polling)"],
] as const;

/** Whether an HTTP row passes the filters (only "all" and "HTTP" kinds show HTTP rows). */
function matchesHttp(row: HttpRow, direction: DirectionFilter, kind: KindFilter, needle: string) {
  if (kind !== "all" && kind !== "http") return false;
  if (direction !== "all" && row.event.dir !== direction) return false;
  if (needle === "") return true;
  const { url, body, labels } = row.event;
  return [url, body, ...labels].some((text) => text.toLowerCase().includes(needle));
}

/** Identifies a frame across the card's attempts: seqs start again with every connection. */
const frameKey = (row: FrameRow) => `${row.attempt}:${row.event.seq}`;

/** What crossed the wire, frame by frame, as the companion server's tap saw it. */
export function FrameLog({ id }: { id: string }) {
  const number = useCardField(id, "number");
  const attempted = useCardField(id, "attempted");
  const reason = noFramesReason({
    attempted,
    tapId: useCardField(id, "tapId"),
    readyState: useCardField(id, "readyState"),
    constructError: useCardField(id, "constructError"),
    serverRecord: useCardField(id, "serverRecord"),
    handshakeStatus: useCardField(id, "handshake")?.response.status,
  });
  const store = frameLogFor(id);
  const [direction, setDirection] = useState<DirectionFilter>("all");
  const [kind, setKind] = useState<KindFilter>("all");
  const [search, setSearch] = useState("");
  const [paused, setPaused] = useState(false);
  const [previewAsHex, setPreviewAsHex] = useState(false);
  const [selected, setSelected] = useState<FrameRow | null>(null);
  const selectedKey = selected ? frameKey(selected) : "";

  const filter = useMemo(() => {
    if (direction === "all" && kind === "all" && search === "") return undefined;
    const needle = search.toLowerCase();
    // Section and gap rows stay: a filtered log still shows where attempts start and what was lost.
    return (row: FrameLogRow) => {
      if (row.kind === "http") return matchesHttp(row, direction, kind, needle);
      return (
        row.kind !== "frame" ||
        ((direction === "all" || row.event.dir === direction) &&
          matchesKind(row.event, kind) &&
          (needle === "" ||
            row.event.preview.toLowerCase().includes(needle) ||
            (row.event.label?.toLowerCase().includes(needle) ?? false)))
      );
    };
  }, [direction, kind, search]);
  const snapshot = useLogSnapshot(store, filter, paused);
  // The newest section is the current attempt's: its notice says why it has no frames.
  const current = store.currentAttempt;
  const notice = current && current.frames === 0 ? reason : undefined;

  const renderRow = useCallback(
    (row: FrameLogRow) => {
      if (row.kind === "attempt") {
        return (
          <span className="log-section-text" title={row.url}>
            Connection attempt {row.attempt} · {formatTime(row.at)} · {row.url}
            {row.exchanges ? ` · ${formatCount(row.exchanges)} HTTP exchanges` : ""}
            {row.frames === 0 && row !== store.currentAttempt ? " · no frames" : ""}
          </span>
        );
      }
      if (row.kind === "notice") {
        return <span className="log-gap-text">⚠ {row.text}</span>;
      }
      if (row.kind === "gap") {
        return (
          <span className="log-gap-text">
            ⚠ {formatCount(row.frames)} frames not shown here: the page fell behind and the server
            keeps only the last {formatCount(row.kept)} events per connection.
          </span>
        );
      }
      if (row.kind === "http") return <HttpRowView event={row.event} />;
      const frame = row.event;
      const key = frameKey(row);
      return (
        <button
          type="button"
          className={`frame-row${key === selectedKey ? " selected" : ""}`}
          aria-pressed={key === selectedKey}
          onClick={() => setSelected(row)}
        >
          <span className="mono">{formatTime(frame.at)}</span>
          <span className={`dir-${frame.dir}`}>{DIRECTION_LABEL[frame.dir]}</span>
          <span className={`opname op-${frame.opname}`}>{frame.opname}</span>
          <span className="flag" title="FIN: last frame of its message">
            {frame.fin ? "FIN" : "…"}
          </span>
          <span className="flag" title="RSV1: compressed (permessage-deflate)">
            {frame.rsv1 ? "RSV1" : ""}
          </span>
          <span className="mono" title={frame.maskKey ? `mask key ${frame.maskKey}` : "not masked"}>
            {frame.maskKey ?? "—"}
          </span>
          <span className="mono num" title="header bytes">
            {frame.headerLength}
          </span>
          <span className="mono num" title="payload bytes on the wire">
            {frame.payloadLength}
          </span>
          <span className="mono num" title="message bytes after reassembly and inflation">
            {frame.messageLength ?? ""}
          </span>
          <span
            className="mono preview"
            title={
              frame.error ?? (frame.label ? `${frame.label}\n${frame.preview}` : frame.preview)
            }
          >
            {frame.label !== undefined && (
              <span
                className={`frame-label${isLabelError(frame.label) ? " frame-label-error" : ""}`}
                data-layer={frame.layer}
                data-channel-hue={channelHue(frame.label)}
              >
                {frame.label}
              </span>
            )}
            {frame.error ? `⚠ ${frame.error}` : previewText(row, previewAsHex)}
          </span>
          {/* Two frames can show the same text in the same millisecond: the seq keeps each
              row's accessible name unique within the card. Last, so that the cells'
              nth-child places (frame-log.css) stay as they are. */}
          <span className="visually-hidden">
            , frame {frame.seq} of attempt {row.attempt}
          </span>
        </button>
      );
    },
    [selectedKey, previewAsHex, store],
  );

  return (
    <Panel cardId={id} panelKey="frame-log" title="Frame log" className="log-panel frame-log-panel">
      <Lesson>
        What really crossed the wire, read by the companion server below its WebSocket library. One
        message may travel as several frames (FIN marks the last); pings, pongs and close are
        control frames; client frames are always masked (RFC 6455 §5.2–5.5). Select a frame to see
        its header bits.
      </Lesson>
      <div className="log-toolbar">
        <LogCount
          snapshot={snapshot}
          filtered={filter !== undefined}
          noun="frame"
          testId="frame-count"
        />
        {store.httpExchanges > 0 && (
          <output className="log-count" data-testid="http-count">
            {formatCount(store.httpExchanges)} HTTP{" "}
            {store.httpExchanges === 1 ? "exchange" : "exchanges"} (long-polling)
          </output>
        )}
        <FilterSelect
          id={`${id}-frame-direction`}
          label="Frame direction"
          value={direction}
          options={DIRECTION_FILTERS}
          onChange={setDirection}
        />
        <FilterSelect
          id={`${id}-frame-kind`}
          label="Frame type"
          value={kind}
          options={KIND_FILTERS}
          onChange={setKind}
        />
        <input
          type="search"
          aria-label="Search frames"
          placeholder="Search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={previewAsHex}
            onChange={(event) => setPreviewAsHex(event.target.checked)}
          />
          Hex preview
        </label>
        <LogActions
          store={store}
          snapshot={snapshot}
          paused={paused}
          onPausedChange={setPaused}
          noun="frames"
          fileName={`frame-log-connection-${number}.json`}
          toJson={frameRowJson}
        />
      </div>
      <VirtualLog
        testId="frame-log"
        snapshot={snapshot}
        renderRow={renderRow}
        rowClassName={frameRowClass}
        columnsClassName="frame-grid"
        minWidth={880}
        notice={notice && <p className="log-notice">{notice}</p>}
        header={
          <>
            <span>time</span>
            <span>direction</span>
            <span>opcode</span>
            <span>FIN</span>
            <span>RSV1</span>
            <span>mask key</span>
            <span className="num">hdr</span>
            <span className="num">wire</span>
            <span className="num">msg</span>
            <span>preview</span>
          </>
        }
        empty={
          paused
            ? "Paused."
            : attempted
              ? (reason ?? "No frames yet.")
              : "Connect to see every frame on the wire."
        }
      />
      {selected && <FrameDiagram frame={selected.event} />}
    </Panel>
  );
}

function frameRowClass(row: FrameLogRow): string {
  if (row.kind === "attempt") return "log-row log-section";
  if (row.kind === "http") return "log-row log-row-plain log-http";
  if (row.kind === "gap" || row.kind === "notice") return "log-row log-gap";
  return "log-row log-row-plain";
}

/** An exported row: the frame as the inspector's JSON carries it, with its attempt. */
function frameRowJson(row: FrameLogRow): unknown {
  if (row.kind === "http") return { attempt: row.attempt, ...row.event };
  if (row.kind !== "frame") return row;
  return { attempt: row.attempt, ...row.event };
}

/** One half of an HTTP exchange, on the frame grid: time, direction, `HTTP`, then what it said. */
function HttpRowView({ event }: { event: HttpEvent }) {
  const text = httpRowText(event);
  return (
    <div className="frame-row http-row" title={text.title}>
      <span className="mono">{formatTime(event.at)}</span>
      <span className={`dir-${event.dir}`}>{DIRECTION_LABEL[event.dir]}</span>
      <span className="opname op-http">HTTP</span>
      <span className="mono http-summary">
        {text.request}
        {text.labels && (
          <span className={`frame-label${text.hasError ? " frame-label-error" : ""}`}>
            {text.labels}
          </span>
        )}
        {text.body && <span className="http-body">{text.body}</span>}
      </span>
    </div>
  );
}

const textEncoder = new TextEncoder();

/** The preview column: close frames show their code and reason; hex shows every byte held. */
function previewText(row: FrameRow, asHex: boolean): string {
  const frame = row.event;
  if (asHex) {
    if (row.previewBytes) return formatHex(row.previewBytes);
    return frame.previewEncoding === "hex"
      ? frame.preview
      : formatHex(textEncoder.encode(frame.preview));
  }
  if (frame.opcode === 8) {
    if (frame.closeCode === undefined) return "no status code (the API reports 1005)";
    return frame.closeReason ? `${frame.closeCode} · ${frame.closeReason}` : `${frame.closeCode}`;
  }
  return frame.preview;
}

/**
 * The colour slot of a mux.v1 frame's channel (`channel 3 · data` → "3"): the frame log
 * colours each channel as its lane does, so interleaved lanes can be told apart on the wire.
 */
function channelHue(label: string): string | undefined {
  const channel = /^channel (\d+) ·/.exec(label)?.[1];
  return channel === undefined ? undefined : String(Number(channel) % 6);
}
