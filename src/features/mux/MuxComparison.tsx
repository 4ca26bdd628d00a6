import { useState } from "react";
import { defaultSocketUrl } from "../../stores/connections-store.ts";
import {
  clampCompareN,
  MAX_COMPARE_N,
  MIN_COMPARE_N,
  ROUND_TRIPS_PER_LANE,
  type WayResult,
} from "./mux-comparison.ts";
import { type ComparisonResult, runComparison } from "./run-comparison.ts";

type Run =
  | { state: "idle" }
  | { state: "running"; n: number }
  | { state: "done"; result: ComparisonResult }
  | { state: "failed"; message: string };

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/**
 * The same N conversations carried two ways, measured side by side: N echo channels over one
 * mux.v1 socket of its own (the card's lanes are untouched) against N WebSockets to /echo.
 */
export function MuxComparison({ id }: { id: string }) {
  const [typed, setTyped] = useState("3");
  const [run, setRun] = useState<Run>({ state: "idle" });
  const running = run.state === "running";

  const start = async () => {
    const n = clampCompareN(Number(typed));
    setTyped(String(n));
    setRun({ state: "running", n });
    try {
      const result = await runComparison(n, {
        muxUrl: defaultSocketUrl("/mux"),
        echoUrl: defaultSocketUrl("/echo"),
      });
      setRun({ state: "done", result });
    } catch (error) {
      setRun({ state: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="mux-compare" aria-labelledby={`${id}-mux-compare-title`}>
      <h4 id={`${id}-mux-compare-title`}>Compare: N channels over one socket vs N sockets</h4>
      <p className="lesson">
        Multiplexing saves connections and handshakes: N conversations need one TCP connection and
        one opening handshake instead of N of each. It costs an envelope on every message (the
        channel id and the op, in JSON here) and puts every channel on one ordered stream, so one
        slow or large message holds up all the others (head-of-line blocking).
      </p>
      <form
        className="mux-compare-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!running) void start();
        }}
      >
        <label>
          N
          <input
            type="number"
            min={MIN_COMPARE_N}
            max={MAX_COMPARE_N}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button type="submit" disabled={running}>
          {running ? "Comparing…" : "Compare"}
        </button>
        <span className="hint">
          {ROUND_TRIPS_PER_LANE} echo round trips per channel or socket, all lanes at once; every
          socket is closed afterwards.
        </span>
      </form>
      {run.state === "running" && (
        <p className="hint" role="status">
          Running {run.n} channels, then {run.n} sockets…
        </p>
      )}
      {run.state === "failed" && (
        <p className="mux-compare-error" role="alert">
          ⚠ The comparison failed: {run.message}
        </p>
      )}
      {run.state === "done" && <ComparisonTable result={run.result} />}
    </section>
  );
}

interface Row {
  key: string;
  label: string;
  show: (way: WayResult) => string;
}

const ROWS: Row[] = [
  { key: "sockets", label: "WebSockets opened", show: (way) => String(way.sockets) },
  {
    key: "tcp",
    label: "TCP connections (as the server saw them)",
    show: (way) => String(way.tcpConnections),
  },
  { key: "handshakes", label: "Opening handshakes", show: (way) => String(way.handshakes) },
  {
    key: "handshake-bytes",
    label: "Handshake bytes (request + response heads)",
    show: (way) =>
      `${numberFormat.format(way.handshakeBytes)} B${way.transports.includes("h2") ? " (as HTTP/1.1 text; h2 compresses heads)" : ""}`,
  },
  {
    key: "framing",
    label: "Framing bytes per message (to server / to client)",
    show: (way) =>
      `${numberFormat.format(way.framing.out)} / ${numberFormat.format(way.framing.in)} B`,
  },
  {
    key: "rtt",
    label: "Round-trip time (median)",
    show: (way) => `${way.medianRttMs.toFixed(2)} ms`,
  },
];

function ComparisonTable({ result }: { result: ComparisonResult }) {
  const { n } = result;
  return (
    <>
      <table className="mux-compare-table" aria-label="Multiplexing comparison">
        <thead>
          <tr>
            <th scope="col">N = {n}</th>
            <th scope="col">{n} channels over one socket (/mux)</th>
            <th scope="col">{n} separate sockets (/echo)</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td data-testid={`compare-${row.key}-mux`}>{row.show(result.mux)}</td>
              <td data-testid={`compare-${row.key}-separate`}>{row.show(result.separate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint mux-compare-formula">
        Frame header = 2 bytes + 2 (payload 126–65,535 B) or 8 (larger) + 4 of masking key on
        client→server frames. A mux message also carries its envelope,{" "}
        <code>{'{"op":"data","ch":N,"data":…}'}</code>, around the same payload, so its framing is
        envelope bytes − payload bytes + the header of the larger frame. Handshake bytes are the
        request line, headers and response status line and headers as the server recorded them (
        <code>/inspect?tap=ID</code>), CRLFs included. Round trips: median of{" "}
        {result.mux.roundTrips} and {result.separate.roundTrips}, timed with performance.now(). The
        inspector sockets used to read the handshakes are not counted.
      </p>
    </>
  );
}
