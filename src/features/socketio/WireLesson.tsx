import { parseAuthPayload, parseNamespaceList } from "../../connections/socketio-settings.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import {
  chapterExchange,
  ENGINE_IO_PING_INTERVAL_MS,
  socketIoStartCost,
  webSocketHeaderBytes,
} from "./wire-cost.ts";

/** The chapter's text, whose exchange the lesson counts. */
const CHAPTER_TEXT = "Hello";

function bytes(count: number): string {
  return `${count} ${count === 1 ? "byte" : "bytes"}`;
}

/** Payload bytes, then the whole frame with its WebSocket header (masked when the browser sends). */
function Cost({ payload, from }: { payload: number; from: "client" | "server" }) {
  const header = webSocketHeaderBytes(payload, from === "client");
  return (
    <span>
      {bytes(payload)}{" "}
      <span className="hint">
        ({payload + header} in the frame, header {header})
      </span>
    </span>
  );
}

/**
 * What Socket.IO adds on the wire for the chapter's exchange, next to raw WebSocket and
 * `mux.v1`, counted from the strings each really sends; then why the namespaces share one
 * connection, and how that differs from HTTP/2 streams.
 */
export function WireLesson({ id }: { id: string }) {
  const settings = useCardField(id, "socketIo");
  const engine = useCardField(id, "engine");
  const rows = chapterExchange(CHAPTER_TEXT);
  const namespaces = parseNamespaceList(settings.namespacesText);
  const auth = parseAuthPayload(settings.authText);
  const polling = settings.transports === "polling-upgrade";
  const start = socketIoStartCost(namespaces, {
    polling,
    auth: auth.ok ? auth.auth : undefined,
    sid: engine?.sid || undefined,
  });
  const [first] = rows;
  return (
    <Panel
      cardId={id}
      panelKey="wire-lesson"
      title="What Socket.IO adds on the wire"
      headingId={`${id}-wire-lesson`}
      labelled
      testId="wire-lesson"
    >
      <Lesson>
        For the same exchange Socket.IO sends more: every event is an Engine.IO message (
        <code>4</code>) holding a Socket.IO EVENT (<code>2</code>), the namespace unless it is{" "}
        <code>/</code>, and the event name with its arguments as one JSON array, so the chapter's{" "}
        <code>{first?.raw}</code> ({bytes(first?.rawBytes ?? 0)} over raw WebSocket) becomes{" "}
        <code>{first?.socketIo}</code> ({bytes(first?.socketIoBytes ?? 0)}). Before any event it
        also costs a handshake, a CONNECT per namespace, the polling start with its upgrade probe,
        and a heartbeat of its own; raw WebSocket sends nothing but the messages after its HTTP
        upgrade, and <code>mux.v1</code> wraps each in a JSON envelope naming its channel.
      </Lesson>
      <table className="wire-table" data-testid="wire-table">
        <caption className="hint">
          Payload bytes counted from these very strings (UTF-8); the browser's frames carry a 4-byte
          mask key more than the server's.
        </caption>
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">Socket.IO</th>
            <th scope="col">Raw WebSocket</th>
            <th scope="col">mux.v1</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.what} data-testid="wire-row">
              <th scope="row">
                {row.from === "client" ? "↑" : "↓"} {row.what}
              </th>
              <td>
                <code>{row.socketIo}</code> <Cost payload={row.socketIoBytes} from={row.from} />
              </td>
              <td>
                <code>{row.raw}</code> <Cost payload={row.rawBytes} from={row.from} />
              </td>
              <td>
                <code>{row.mux}</code> <Cost payload={row.muxBytes} from={row.from} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Besides the events (this card's namespaces and transports)</h4>
      <ul className="wire-start" data-testid="wire-start">
        <li>
          Engine.IO handshake{polling ? " (the answer to the first polling GET)" : ""}:{" "}
          <code>{start.open}</code> — {bytes(start.openBytes)}.
        </li>
        {start.connects.map((connect) => (
          <li key={connect.namespace}>
            CONNECT {connect.namespace}: <code>{connect.sent}</code> and its answer{" "}
            <code>{connect.answer}</code> — {bytes(connect.bytes)}.
          </li>
        ))}
        {polling ? (
          <li>
            Upgrade from polling: <code>{start.probe.join(" ")}</code> — {bytes(start.probeBytes)},
            plus the HTTP headers of every polling request before it.
          </li>
        ) : (
          <li>WebSocket only: no polling requests and no upgrade probe.</li>
        )}
        <li>
          Heartbeat: <code>{start.heartbeat.join(" ")}</code> (ping from the server, pong back) —{" "}
          {bytes(start.heartbeatBytes)} every {ENGINE_IO_PING_INTERVAL_MS / 1000} s, in two frames
          of their own; raw WebSocket has ping and pong control frames instead, which a browser
          answers but cannot send.
        </li>
        <li>
          In all, {bytes(start.total)} of Socket.IO packets before the first event; raw WebSocket:
          none after the HTTP upgrade both of them make.
        </li>
      </ul>
      <h4>Why the namespaces share one connection</h4>
      <p className="lesson" data-testid="wire-multiplexing">
        Socket.IO multiplexes the namespaces itself: each packet names its namespace (
        <code>42/chat,…</code>) and all of them queue in order in one WebSocket's byte stream (or
        one polling session), so one handshake and one heartbeat serve them all. HTTP/2 streams are
        instead separate streams of one TCP connection, framed and flow-controlled by HTTP/2 itself,
        so a stalled stream does not hold the others back at that level. Both still share TCP's
        head-of-line blocking: one lost segment stalls every namespace, and every stream, until it
        is retransmitted.
      </p>
    </Panel>
  );
}
