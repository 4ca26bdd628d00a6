import type { ReadyStateName, ServerRecord } from "../../stores/connections-store.ts";

export interface NoFramesInput {
  attempted: boolean;
  /** "" when the attempt went to another server, so nothing was tapped. */
  tapId: string;
  readyState: ReadyStateName;
  constructError: string | undefined;
  serverRecord: ServerRecord;
  /** The status the server answered the handshake with, when its record arrived. */
  handshakeStatus: number | undefined;
}

/**
 * Why the current attempt's section of the frame log is empty, when the evidence says it will
 * stay so; undefined while frames may still come. Says only what is known.
 */
export function noFramesReason(input: NoFramesInput): string | undefined {
  if (!input.attempted) return undefined;
  if (input.constructError !== undefined) {
    return "No frames: new WebSocket() threw before any request was made, so nothing crossed the wire.";
  }
  if (input.tapId === "") {
    return "Frames are shown only for connections to the companion server (this page's own host): it reads them from the TCP socket. A browser's WebSocket API never exposes frames, so for other servers only the message log can show anything.";
  }
  if (input.handshakeStatus !== undefined && input.handshakeStatus !== 101) {
    return `No frames: the server answered the handshake with HTTP ${input.handshakeStatus}, so this connection never switched to WebSocket frames.`;
  }
  if (input.serverRecord === "absent") {
    return "No frames: the server has no record of this attempt's HTTP request (nothing reached it as HTTP), so no WebSocket frames were exchanged.";
  }
  if (input.readyState === "CLOSED" && input.serverRecord === "unreadable") {
    return "No frames shown, and the reason is unknown: the page could not ask the server for its record of this attempt (is the server still running?), so it cannot say whether anything crossed the wire.";
  }
  if (input.readyState === "CLOSED" && input.serverRecord === "waiting") {
    return "Waiting for the server's record of this attempt…";
  }
  return undefined;
}
