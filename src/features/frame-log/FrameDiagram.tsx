import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { formatCount } from "../../shared/format-count.ts";
import { formatTime } from "../log-view/format-time.ts";
import {
  type DiagramCell,
  frameDiagramCells,
  lengthEncodingNote,
  ROW_BITS,
} from "./frame-header-fields.ts";
import "./frame-diagram.css";

const RULER = Array.from({ length: ROW_BITS }, (_, bit) => bit);

/**
 * The selected frame's header drawn as RFC 6455 §5.2 draws it: a bit ruler, then 32-bit rows
 * with each field at its true width and its value for this frame. Wider than a phone, it
 * scrolls sideways inside its own box.
 */
export function FrameDiagram({ frame }: { frame: FrameEvent }) {
  const cells = frameDiagramCells(frame);
  return (
    <figure className="frame-diagram" data-testid="frame-diagram">
      <figcaption>
        Frame #{frame.seq} · {frame.opname} ·{" "}
        {frame.dir === "in" ? "client → server" : "server → client"} · {formatTime(frame.at)}
      </figcaption>
      <div className="bit-scroll">
        <div className="bit-fields">
          {RULER.map((bit) => (
            <span
              key={bit}
              className={`bit-ruler${bit % 8 === 0 ? " byte-start" : ""}`}
              style={{ gridColumn: bit + 1 }}
              aria-hidden="true"
            >
              {bit}
            </span>
          ))}
          {cells.map((cell) => (
            <DiagramBox key={`${cell.row}:${cell.column}`} cell={cell} />
          ))}
        </div>
      </div>
      <p className="hint">
        {lengthEncodingNote(frame)}{" "}
        {frame.messageLength !== undefined &&
          (frame.compressed
            ? `The message was compressed: ${formatCount(frame.payloadLength)} bytes on the wire in this frame carried a ${formatCount(frame.messageLength)}-byte message after inflation.`
            : `Last frame of a ${formatCount(frame.messageLength)}-byte message.`)}
        {frame.closeCode !== undefined &&
          ` Close code ${frame.closeCode}${frame.closeReason ? `, reason “${frame.closeReason}”` : ""}.`}
      </p>
    </figure>
  );
}

function DiagramBox({ cell }: { cell: DiagramCell }) {
  const continued = cell.offset > 0;
  const continues = cell.offset + cell.bits < cell.fieldBits && cell.kind === "field";
  const classes = [
    "bit-field",
    cell.kind === "payload" ? "payload" : "",
    cell.bits === 1 ? "one-bit" : "",
    continued ? "continued" : "",
    continues ? "continues" : "",
  ].filter(Boolean);
  return (
    <div
      className={classes.join(" ")}
      style={{ gridRow: cell.row + 2, gridColumn: `${cell.column + 1} / span ${cell.bits}` }}
      title={`${cell.name}: ${cell.meaning}`}
    >
      <span className="bit-name">
        {cell.name}
        {continued ? " (continued)" : ""}
      </span>
      {/* A split field's value once, on its first part; the later parts show their bits. */}
      {!continued && <span className="bit-value mono">{cell.value}</span>}
      {cell.hex !== undefined && cell.hex !== cell.value && (
        <span className="bit-hex mono">0x{cell.hex}</span>
      )}
      {cell.kind === "field" && cell.bits > 1 && (
        <span className="bit-count">
          {cell.bits === cell.fieldBits
            ? `${cell.bits} bits`
            : `bits ${cell.offset}–${cell.offset + cell.bits - 1} of ${cell.fieldBits}`}
        </span>
      )}
    </div>
  );
}
