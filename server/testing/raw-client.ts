import { connect, type Socket } from "node:net";
import { encodeFrame, FrameParser, type ParsedFrame } from "../../src/protocol/frame-parser.ts";

/**
 * A WebSocket client on a bare TCP socket that reports every frame the server sent, as it
 * crossed the wire (no reassembly, no automatic pong): tests count fragments, pings and
 * close frames exactly, which `ws` and browsers hide.
 */
export interface RawClient {
  socket: Socket;
  /** Every frame received so far, in order. */
  frames: ParsedFrame[];
  /** Resolves once `count` frames matching `predicate` have arrived (all frames when omitted). */
  waitForFrames(count: number, predicate?: (frame: ParsedFrame) => boolean): Promise<ParsedFrame[]>;
  /** Sends one masked frame. */
  send(opcode: number, payload: Uint8Array | string, fin?: boolean): void;
  /** Resolves when the TCP connection ended, with whether the server reset it. */
  ended: Promise<{ reset: boolean }>;
}

export function openRawClient(port: number, target: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const parser = new FrameParser();
    const frames: ParsedFrame[] = [];
    const waiters = new Set<() => void>();
    let head = Buffer.alloc(0);
    let opened = false;
    let reset = false;
    const ended = new Promise<{ reset: boolean }>((done) => {
      socket.on("close", () => done({ reset }));
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET") reset = true;
      if (!opened) reject(error);
    });
    const client: RawClient = {
      socket,
      frames,
      ended,
      waitForFrames(count, predicate = () => true) {
        return new Promise((done) => {
          const check = () => {
            const matching = frames.filter(predicate);
            if (matching.length < count) return false;
            waiters.delete(check);
            done(matching.slice(0, count));
            return true;
          };
          if (!check()) waiters.add(check);
        });
      },
      send(opcode, payload, fin = true) {
        const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
        socket.write(encodeFrame({ opcode, payload: bytes, fin, maskKey: 0x01020304 }));
      },
    };
    socket.on("data", (chunk: Buffer) => {
      let data = chunk;
      if (!opened) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const status = head.subarray(0, head.indexOf("\r\n")).toString();
        if (!status.startsWith("HTTP/1.1 101")) {
          reject(new Error(`handshake answered ${status}`));
          socket.destroy();
          return;
        }
        opened = true;
        data = head.subarray(end + 4);
        resolve(client);
      }
      parser.feed(data, (frame) => {
        frames.push({ ...frame, payload: Uint8Array.from(frame.payload) });
      });
      for (const check of [...waiters]) check();
    });
    socket.on("connect", () => {
      socket.write(
        [
          `GET ${target} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          "Connection: Upgrade",
          "Upgrade: websocket",
          "Sec-WebSocket-Version: 13",
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
          "",
          "",
        ].join("\r\n"),
      );
    });
  });
}
