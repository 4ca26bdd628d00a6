import { useId, useState, useSyncExternalStore } from "react";
import { useShallow } from "zustand/react/shallow";
import { send } from "../../connections/raw-socket.ts";
import { headerValue } from "../../protocol/header-list.ts";
import { formatCount } from "../../shared/format-count.ts";
import { useCardField, useConnections } from "../../stores/connections-store.ts";
import { frameLogFor } from "../../stores/frame-logs.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import {
  type CompressionSnapshot,
  compressionTrackerFor,
  type DirectionTotals,
  type MessagePoint,
  ratioOf,
} from "./compression-totals.ts";
import { explainDeflate } from "./deflate-explanation.ts";
import {
  generatePayload,
  PAYLOAD_KINDS,
  PAYLOAD_SIZES,
  type PayloadKind,
} from "./payload-generator.ts";
import "./compression.css";

/** The running figures of a card, read incrementally from its frame log. */
function useCompression(cardId: string): CompressionSnapshot {
  const tracker = compressionTrackerFor(cardId, frameLogFor(cardId));
  return useSyncExternalStore(tracker.subscribe, tracker.getSnapshot);
}

const bytes = (value: number) => `${formatCount(value)} B`;

function ratioText(totals: DirectionTotals): string {
  const ratio = ratioOf(totals);
  if (ratio === undefined) return "—";
  const saved = Math.round((1 - ratio) * 100);
  return `${ratio.toFixed(3)} (${saved >= 0 ? `${saved}% saved` : `${-saved}% more`})`;
}

function TotalsRow({ label, totals }: { label: string; totals: DirectionTotals }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{formatCount(totals.messages)}</td>
      <td>
        {formatCount(totals.compressed)} / {formatCount(totals.messages - totals.compressed)}
      </td>
      <td>{bytes(totals.wireBytes)}</td>
      <td>{bytes(totals.decodedBytes)}</td>
      <td>{ratioText(totals)}</td>
    </tr>
  );
}

/** Per card: what permessage-deflate agreed, saves and costs, with a payload generator. */
export function CompressionPanel({ id }: { id: string }) {
  const figures = useCompression(id);
  const extensions = useCardField(id, "extensions");
  const attemptUrl = useCardField(id, "attemptUrl");
  const readyState = useCardField(id, "readyState");
  const handshake = useCardField(id, "handshake");
  const number = useCardField(id, "number");
  const query = safeQuery(attemptUrl);
  const explanation = explainDeflate(extensions, query, figures.in.smallestCompressed);
  const offered = handshake
    ? headerValue(handshake.request.headers, "Sec-WebSocket-Extensions")
    : undefined;
  const acceptEncoding = handshake
    ? headerValue(handshake.request.headers, "Accept-Encoding")
    : undefined;
  // The server's own account of what it changed or declined (an invalid or window-8 offer).
  const serverNote = handshake
    ? headerValue(handshake.response.headers, "X-Deflate-Negotiation")
    : "";
  const allMessages = figures.in.messages + figures.out.messages;
  const allCompressed = figures.in.compressed + figures.out.compressed;

  return (
    <Panel
      cardId={id}
      panelKey="compression"
      title="Compression"
      className="compression"
      headingId={`${id}-compression-title`}
      labelled
    >
      <Lesson>
        permessage-deflate (RFC 7692) is the only compression a WebSocket has: each side deflates
        whole messages and marks them with the RSV1 bit. The figures below add up every message in
        this card's frame log: bytes on the wire (payload, headers not counted) against bytes after
        inflation.
      </Lesson>
      <div data-testid="compression-summary" className="compression-summary">
        <p className="compression-verdict">
          {explanation.agreed
            ? `permessage-deflate agreed: ${extensions}`
            : attemptUrl
              ? "No compression agreed: socket.extensions is empty, so every message crosses as it is (RSV1 = 0)."
              : "Not connected yet: connect to /deflate to see compression, or to /echo to compare."}
        </p>
        {serverNote && (
          <p className="compression-server-note">
            The server says (X-Deflate-Negotiation): {serverNote}
          </p>
        )}
        <table className="compression-totals">
          <caption className="visually-hidden">Compression totals of connection {number}</caption>
          <thead>
            <tr>
              <th scope="col">Direction</th>
              <th scope="col">Messages</th>
              <th scope="col">Compressed / not</th>
              <th scope="col">Wire bytes</th>
              <th scope="col">Decoded bytes</th>
              <th scope="col">Ratio (wire ÷ decoded)</th>
            </tr>
          </thead>
          <tbody>
            <TotalsRow label="Browser → server" totals={figures.in} />
            <TotalsRow label="Server → browser" totals={figures.out} />
          </tbody>
        </table>
      </div>

      {explanation.agreed && (
        <details className="compression-parameters" open>
          <summary>What each parameter does here</summary>
          <p>
            Your browser offered{" "}
            <code>{offered || "permessage-deflate; client_max_window_bits"}</code>: a page cannot
            change that offer. The server answered <code>{extensions}</code>.
          </p>
          <dl>
            {explanation.lines.map((line) => (
              <div key={line.name}>
                <dt>
                  <code>{line.name}</code>
                </dt>
                <dd>{line.meaning}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}

      <WireChart id={id} number={number} own={figures.outSeries} />
      <PayloadGenerator id={id} open={readyState === "OPEN"} />

      <details className="compression-lesson">
        <summary>Why HTTP gzip never compresses frames</summary>
        <p>
          {acceptEncoding
            ? `Your browser sent Accept-Encoding: ${acceptEncoding} in this handshake. `
            : "Browsers send Accept-Encoding in the handshake request like in any other. "}
          That header offers content codings for an HTTP response body, and the 101 answer has none:
          after it the connection carries WebSocket frames, which HTTP never touches. So middleware
          such as FastAPI's GZipMiddleware compresses ordinary responses but no WebSocket message.
          {allMessages > 0 &&
            ` Evidence on this card: ${formatCount(allMessages)} messages, ${formatCount(allCompressed)} of them with RSV1 set${explanation.agreed ? "" : " — none, without permessage-deflate"}.`}
        </p>
        <p>
          What the chapter&apos;s snippet would really need: permessage-deflate negotiated by the
          WebSocket server itself (uvicorn does it with its websockets implementation,
          <code>--ws-per-message-deflate</code>, on by default), and nothing in the HTTP middleware
          stack.
        </p>
        <p>
          What it costs the server: a zlib compressor and decompressor per connection, kept between
          messages under context takeover (with 15-bit windows, zlib asks for about 256 KiB to
          deflate and 40 KiB to inflate), and CPU for every message; a bench measured about 240 KB
          per /deflate connection against 13 KB for /echo. Smaller windows and no_context_takeover
          lower the memory, at the price of ratio.
        </p>
      </details>
    </Panel>
  );
}

function safeQuery(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}

const CHART_WIDTH = 400;
const CHART_HEIGHT = 120;

function polyline(
  points: readonly MessagePoint[],
  pick: (point: MessagePoint) => number,
  max: number,
) {
  const step = points.length > 1 ? CHART_WIDTH / (points.length - 1) : 0;
  return points
    .map((point, index) => {
      const x = index * step;
      const y = CHART_HEIGHT - (pick(point) / max) * (CHART_HEIGHT - 4) - 2;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

/** Wire bytes per server→browser message, this card against another picked card. */
function WireChart({
  id,
  number,
  own,
}: {
  id: string;
  number: number;
  own: readonly MessagePoint[];
}) {
  const pickerId = useId();
  const [otherId, setOtherId] = useState("");
  const others = useConnections(
    useShallow((state) => state.order.filter((cardId) => cardId !== id)),
  );
  const otherNumber = useConnections((state) => state.cards[otherId]?.number);
  const compared = otherNumber !== undefined ? otherId : "";
  return (
    <figure className="compression-chart">
      <div className="compression-chart-controls">
        <label htmlFor={pickerId}>Compare with</label>
        <select id={pickerId} value={compared} onChange={(event) => setOtherId(event.target.value)}>
          <option value="">no other card</option>
          {others.map((cardId) => (
            <CardOption key={cardId} cardId={cardId} />
          ))}
        </select>
      </div>
      {compared ? (
        <ComparedChart
          own={own}
          number={number}
          otherId={compared}
          otherNumber={otherNumber ?? 0}
        />
      ) : (
        <Chart own={own} number={number} />
      )}
    </figure>
  );
}

function CardOption({ cardId }: { cardId: string }) {
  const number = useConnections((state) => state.cards[cardId]?.number);
  return <option value={cardId}>Connection {number}</option>;
}

function ComparedChart({
  own,
  number,
  otherId,
  otherNumber,
}: {
  own: readonly MessagePoint[];
  number: number;
  otherId: string;
  otherNumber: number;
}) {
  const other = useCompression(otherId);
  return (
    <Chart own={own} number={number} other={{ points: other.outSeries, number: otherNumber }} />
  );
}

function Chart({
  own,
  number,
  other,
}: {
  own: readonly MessagePoint[];
  number: number;
  other?: { points: readonly MessagePoint[]; number: number };
}) {
  const all = [...own, ...(other?.points ?? [])];
  const highest = Math.max(1, ...all.map((point) => Math.max(point.wire, point.decoded)));
  // Headroom above the highest point, so that a flat line at the top is not read as the frame.
  const max = highest * 1.1;
  const name = other
    ? `Wire bytes per server reply: connection ${number} against connection ${other.number}`
    : `Wire bytes per server reply: connection ${number}`;
  return (
    <>
      <svg
        role="img"
        aria-label={name}
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        preserveAspectRatio="none"
        className="compression-svg"
      >
        <line
          x1="0"
          y1={CHART_HEIGHT - 1}
          x2={CHART_WIDTH}
          y2={CHART_HEIGHT - 1}
          className="axis"
        />
        <polyline points={polyline(own, (point) => point.decoded, max)} className="line-decoded" />
        <polyline points={polyline(own, (point) => point.wire, max)} className="line-own" />
        {other && (
          <polyline
            points={polyline(other.points, (point) => point.wire, max)}
            className="line-other"
          />
        )}
      </svg>
      <figcaption>
        <span className="key key-own">Connection {number}: wire bytes</span>
        <span className="key key-decoded">Connection {number}: decoded bytes</span>
        {other && <span className="key key-other">Connection {other.number}: wire bytes</span>}
        <SecondCopy points={own} />
        <span className="hint">
          Last {formatCount(own.length)} messages
          {other ? ` and ${formatCount(other.points.length)}` : ""}, up to {bytes(highest)}.
        </span>
      </figcaption>
    </>
  );
}

/**
 * What context takeover bought on the last two replies when they were alike (the generator
 * sends copies): with it the second costs a few back-references, without it as much as the first.
 */
function SecondCopy({ points }: { points: readonly MessagePoint[] }) {
  const last = points.at(-1);
  const before = points.at(-2);
  if (!last || !before || last.decoded !== before.decoded || !last.compressed) return null;
  return (
    <span className="second-copy">
      Last two replies, {bytes(last.decoded)} each decoded: {bytes(before.wire)} then{" "}
      {bytes(last.wire)} on the wire.
    </span>
  );
}

/** Payloads that show when compression helps and when it hurts, sent on this card's socket. */
function PayloadGenerator({ id, open }: { id: string; open: boolean }) {
  const kindId = useId();
  const sizeId = useId();
  const countId = useId();
  const [kind, setKind] = useState<PayloadKind>("repetitive-text");
  const [size, setSize] = useState(1024);
  const [count, setCount] = useState(2);
  const hint = PAYLOAD_KINDS.find((option) => option.value === kind)?.hint;
  return (
    <form
      className="payload-generator"
      onSubmit={(event) => {
        event.preventDefault();
        if (!open) return;
        // One payload sent `count` times: from the second on, context takeover shows its worth.
        send(id, generatePayload(kind, size), Math.max(1, Math.min(count, 1000)));
      }}
    >
      <label htmlFor={kindId}>Payload kind</label>
      <select
        id={kindId}
        value={kind}
        onChange={(event) => setKind(event.target.value as PayloadKind)}
      >
        {PAYLOAD_KINDS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <label htmlFor={sizeId}>Payload size</label>
      <select id={sizeId} value={size} onChange={(event) => setSize(Number(event.target.value))}>
        {PAYLOAD_SIZES.map((value) => (
          <option key={value} value={value}>
            {bytes(value)}
          </option>
        ))}
      </select>
      <label htmlFor={countId}>Copies</label>
      <input
        id={countId}
        type="number"
        min={1}
        max={1000}
        value={count}
        onChange={(event) => setCount(event.target.valueAsNumber || 1)}
      />
      <button type="submit" disabled={!open}>
        Transmit generated payload
      </button>
      <p className="hint">
        {hint}; the same payload each time, so the second copy shows what context takeover buys.
      </p>
    </form>
  );
}
