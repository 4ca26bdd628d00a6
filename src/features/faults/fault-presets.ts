/**
 * Faults the `/chaos` endpoint can stage, each with what the learner will see. The query is
 * validated by the server like any other endpoint's (an invalid one is refused with a reason).
 */
export interface FaultPreset {
  id: string;
  label: string;
  query: Record<string, string>;
  /** What happens, on both sides, in two or three plain sentences. */
  expect: string;
}

export const FAULT_PRESETS: readonly FaultPreset[] = [
  {
    id: "close",
    label: "Close with 4000 after 1 s",
    query: { close: "4000", reason: "Closed by /chaos", after: "1000" },
    expect:
      "After 1 s the server sends a close frame with code 4000 and a reason; your browser answers with its own close frame. The card shows 4000, the reason and wasClean true, and the frame log both close frames (RFC 6455 §7.1.2).",
  },
  {
    id: "drop",
    label: "Reset TCP after 2 s, no close frame",
    query: { drop: "2000" },
    expect:
      "After 2 s the server resets the TCP connection without a close frame. Your browser reports 1006 with wasClean false, a code no close frame ever carries; the frame log shows no close frames. With Reconnect on, watch the retries on the timeline.",
  },
  {
    id: "delay",
    label: "Echo 1.5 s late",
    query: { delay: "1500" },
    expect:
      "Every message comes back 1.5 s after it arrived: the frame log's times show the gap between your masked frame and the server's echo. Nothing on the connection waits meanwhile: pings and other messages still pass.",
  },
  {
    id: "fragment",
    label: "Echo in 4 fragments",
    query: { fragment: "4" },
    expect:
      "Each echo crosses the wire as 4 frames: a text or binary frame, then continuation frames, FIN set only on the last (RFC 6455 §5.4). The message log still shows one message: the browser reassembles fragments before JavaScript sees anything.",
  },
  {
    id: "ping",
    label: "Ping every second",
    query: { ping: "1000" },
    expect:
      "The server sends a ping every second and your browser answers each with a pong on its own (RFC 6455 §5.5.2). The WebSocket API has no event for either: only the frame log shows them.",
  },
  {
    id: "slow-handshake",
    label: "Answer the handshake after 3 s",
    query: { handshake_delay: "3000" },
    expect:
      "The server holds its 101 response for 3 s: the card stays CONNECTING, and messages cannot be sent yet (send() before open throws InvalidStateError).",
  },
  {
    id: "refuse",
    label: "Refuse the handshake with 503",
    query: { refuse: "503" },
    expect:
      "The server answers the upgrade with HTTP 503 instead of 101. Your browser fails the connection and reports only close code 1006, without the status; the handshake panel shows the 503 and its reason, which the companion server recorded.",
  },
];
