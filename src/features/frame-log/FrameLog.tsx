import { useCallback, useMemo, useState } from "react";
import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { frameLogFor } from "../../stores/frame-logs.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { FilterSelect } from "../log-view/FilterSelect.tsx";
import { formatTime } from "../log-view/format-time.ts";
import { LogActions, LogCount } from "../log-view/LogControls.tsx";
import { useLogSnapshot } from "../log-view/use-log-snapshot.ts";
import { VirtualLog } from "../log-view/VirtualLog.tsx";
import { FrameDiagram } from "./FrameDiagram.tsx";

type DirectionFilter = (typeof DIRECTION_FILTERS)[number][0];
type KindFilter = (typeof KIND_FILTERS)[number][0];

const DIRECTION_LABEL = { in: "→ to server", out: "← to client" } as const;

function matchesKind(frame: FrameEvent, kind: KindFilter): boolean {
  if (kind === "all") return true;
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
] as const;

/** What crossed the wire, frame by frame, as the companion server's tap saw it. */
export function FrameLog({ id }: { id: string }) {
  const number = useCardField(id, "number");
  const tapId = useCardField(id, "tapId");
  const attempted = useCardField(id, "attempted");
  const handshakeStatus = useCardField(id, "handshake")?.response.status;
  const store = frameLogFor(id);
  const [direction, setDirection] = useState<DirectionFilter>("all");
  const [kind, setKind] = useState<KindFilter>("all");
  const [search, setSearch] = useState("");
  const [paused, setPaused] = useState(false);
  const [previewAsHex, setPreviewAsHex] = useState(false);
  // The event itself, not its seq: seqs restart with every connection the card makes.
  const [selected, setSelected] = useState<FrameEvent | null>(null);

  const filter = useMemo(() => {
    if (direction === "all" && kind === "all" && search === "") return undefined;
    const needle = search.toLowerCase();
    return (frame: FrameEvent) =>
      (direction === "all" || frame.dir === direction) &&
      matchesKind(frame, kind) &&
      (needle === "" || frame.preview.toLowerCase().includes(needle));
  }, [direction, kind, search]);
  const snapshot = useLogSnapshot(store, filter, paused);

  const renderRow = useCallback(
    (frame: FrameEvent) => (
      <button
        type="button"
        className={`frame-row${frame === selected ? " selected" : ""}`}
        aria-pressed={frame === selected}
        onClick={() => setSelected(frame)}
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
        <span className="mono preview" title={frame.error ?? frame.preview}>
          {frame.error ? `⚠ ${frame.error}` : previewText(frame, previewAsHex)}
        </span>
      </button>
    ),
    [selected, previewAsHex],
  );

  return (
    <section className="panel log-panel">
      <h3>Frame log</h3>
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
          Hex
        </label>
        <LogActions
          store={store}
          snapshot={snapshot}
          paused={paused}
          onPausedChange={setPaused}
          noun="frames"
          fileName={`frame-log-connection-${number}.json`}
        />
      </div>
      <VirtualLog
        testId="frame-log"
        snapshot={snapshot}
        renderRow={renderRow}
        columnsClassName="frame-grid"
        rowsAreGrids={false}
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
            : !attempted
              ? "Connect to see every frame on the wire."
              : tapId
                ? handshakeStatus !== undefined && handshakeStatus !== 101
                  ? `No frames: the server answered the handshake with HTTP ${handshakeStatus}, so this connection never switched to WebSocket frames.`
                  : "No frames yet."
                : "Frames are shown only for connections to the companion server (this page's own host): it reads them from the TCP socket. A browser's WebSocket API never exposes frames, so for other servers only the message log can show anything."
        }
      />
      {selected && <FrameDiagram frame={selected} />}
    </section>
  );
}

const hexEncoder = new TextEncoder();

function previewText(frame: FrameEvent, asHex: boolean): string {
  if (!asHex || frame.previewEncoding === "hex") return frame.preview;
  return Array.from(hexEncoder.encode(frame.preview), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join(" ");
}
