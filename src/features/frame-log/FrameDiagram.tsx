import type { FrameEvent } from "../../protocol/inspector-events.ts";
import { formatTime } from "../log-view/format-time.ts";
import { frameHeaderFields, lengthEncodingNote } from "./frame-header-fields.ts";

/** The selected frame's header drawn as its bit fields, 32 bits a row as in RFC 6455 §5.2. */
export function FrameDiagram({ frame }: { frame: FrameEvent }) {
  const fields = frameHeaderFields(frame);
  return (
    <figure className="frame-diagram" data-testid="frame-diagram">
      <figcaption>
        Frame #{frame.seq} · {frame.opname} ·{" "}
        {frame.dir === "in" ? "client → server" : "server → client"} · {formatTime(frame.at)}
      </figcaption>
      <div className="bit-fields">
        {fields.map((field) => (
          <div
            key={field.name}
            className="bit-field"
            style={{ gridColumn: `span ${Math.min(field.bits, 32)}` }}
            title={field.meaning}
          >
            <span className="bit-name">{field.name}</span>
            <span className="bit-value mono">{field.value}</span>
            <span className="bit-count">
              {field.bits} bit{field.bits === 1 ? "" : "s"}
            </span>
          </div>
        ))}
      </div>
      <p className="hint">
        {lengthEncodingNote(frame)}{" "}
        {frame.messageLength !== undefined &&
          (frame.compressed
            ? `The message was compressed: ${frame.payloadLength.toLocaleString("en-US")} bytes on the wire in this frame carried a ${frame.messageLength.toLocaleString("en-US")}-byte message after inflation.`
            : `Last frame of a ${frame.messageLength.toLocaleString("en-US")}-byte message.`)}
        {frame.closeCode !== undefined &&
          ` Close code ${frame.closeCode}${frame.closeReason ? `, reason “${frame.closeReason}”` : ""}.`}
      </p>
    </figure>
  );
}
