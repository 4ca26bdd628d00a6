import { useLayoutEffect, useRef } from "react";
import { withConnection } from "../../connections/connection.ts";
import {
  RECONNECT_BACKOFF_FACTOR,
  RECONNECT_INITIAL_DELAY_MS,
  RECONNECT_JITTER,
  RECONNECT_MAX_ATTEMPTS,
  RECONNECT_MAX_DELAY_MS,
} from "../../connections/reconnect-policy.ts";
import {
  SOCKET_IO_RANDOMIZATION_FACTOR,
  SOCKET_IO_RECONNECTION_ATTEMPTS,
  SOCKET_IO_RECONNECTION_DELAY_MAX_MS,
  SOCKET_IO_RECONNECTION_DELAY_MS,
} from "../../connections/socketio-settings.ts";
import { explainCloseCode } from "../../protocol/close-codes.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { formatTime } from "../log-view/format-time.ts";
import { timelineText } from "./timeline-text.ts";
import "./reconnect.css";

/** Reconnection by the page, every attempt on a timeline, and what each close code means. */
export function ReconnectPanel({ id }: { id: string }) {
  const mode = useCardField(id, "mode");
  const reconnect = useCardField(id, "reconnect");
  const timeline = useCardField(id, "timeline");
  const retryAt = useCardField(id, "retryAt");
  const codes = [
    ...new Set(timeline.flatMap((entry) => (entry.kind === "close" ? [entry.code] : []))),
  ];
  // The timeline follows its newest entry, unless the reader has scrolled up to an older one.
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an entry is added
  useLayoutEffect(() => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [timeline.length]);

  return (
    <Panel cardId={id} panelKey="reconnect" title="Retries">
      {mode === "socketio" ? (
        <Lesson>
          In Socket.IO mode the page does not reconnect: Socket.IO&apos;s own Manager does, and the
          timeline shows its events (reconnect_attempt, reconnect_error, reconnect,
          reconnect_failed). Its backoff (shown below) starts at{" "}
          {SOCKET_IO_RECONNECTION_DELAY_MS / 1000} s and doubles up to{" "}
          {SOCKET_IO_RECONNECTION_DELAY_MAX_MS / 1000} s; after a reconnect every namespace joins
          again over a new Engine.IO connection.
        </Lesson>
      ) : (
        <Lesson>
          A WebSocket never reconnects by itself: once closed, the page must open a new one, with a
          new handshake. With Reconnect on, this card does so after a drop: it waits{" "}
          {RECONNECT_INITIAL_DELAY_MS / 1000} s, then {RECONNECT_BACKOFF_FACTOR}× longer each time
          up to {RECONNECT_MAX_DELAY_MS / 1000} s, each wait spread by ±{RECONNECT_JITTER * 100}% so
          a room of clients does not return at once, and gives up after {RECONNECT_MAX_ATTEMPTS}{" "}
          attempts. A normal closure (1000) and your own Disconnect are not retried.
        </Lesson>
      )}
      <label className="toggle">
        <input
          type="checkbox"
          checked={reconnect}
          onChange={(event) => {
            const on = event.target.checked;
            withConnection(id, (connection) => connection.setReconnect(id, on));
          }}
        />
        Reconnect
      </label>
      {mode === "socketio" && (
        <dl className="facts socketio-backoff" data-testid="socketio-backoff">
          <dt>Backoff</dt>
          <dd>Socket.IO Manager&apos;s own</dd>
          <dt>reconnectionDelay</dt>
          <dd className="mono">{SOCKET_IO_RECONNECTION_DELAY_MS} ms</dd>
          <dt>reconnectionDelayMax</dt>
          <dd className="mono">{SOCKET_IO_RECONNECTION_DELAY_MAX_MS} ms</dd>
          <dt>randomizationFactor</dt>
          <dd className="mono">±{SOCKET_IO_RANDOMIZATION_FACTOR * 100}%</dd>
          <dt>reconnectionAttempts</dt>
          <dd className="mono">{SOCKET_IO_RECONNECTION_ATTEMPTS}</dd>
        </dl>
      )}
      {retryAt !== undefined && (
        <p className="hint">Next attempt at {formatTime(retryAt)}; untick Reconnect to stop it.</p>
      )}
      <ol
        ref={list}
        className="reconnect-timeline"
        data-testid="reconnect-timeline"
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 4;
        }}
      >
        {timeline.length === 0 && <li className="hint">No attempts yet.</li>}
        {timeline.map((entry) => (
          <li
            key={`${entry.at}-${entry.kind}-${entry.attempt}`}
            className={`timeline-${entry.kind}`}
          >
            <span className="mono">{formatTime(entry.at)}</span> {timelineText(entry)}
          </li>
        ))}
      </ol>
      {codes.length > 0 && (
        <dl className="close-codes" data-testid="close-code-explainer">
          {codes.map((code) => {
            const facts = explainCloseCode(code);
            return (
              <div key={code}>
                <dt className="mono">{code}</dt>
                <dd>
                  {facts.meaning} Sent by: {facts.sentBy}.{" "}
                  {facts.onWire
                    ? "It travels in a close frame (RFC 6455 §7.4.1)."
                    : "It never travels in a close frame: only an API reports it (RFC 6455 §7.4.1)."}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </Panel>
  );
}
