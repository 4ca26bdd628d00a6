import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { encodeFrame, Opcode } from "../src/protocol/frame-parser.ts";
import { type RunningServer, startServer } from "./index.ts";
import { openRawClient, type RawClient } from "./testing/raw-client.ts";
import { closed, nextMessage, openClient } from "./testing/ws-client.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
});
afterAll(() => server.close());

const wsUrl = (path: string) => `${server.url.replace("http", "ws")}${path}`;

/** The code of the close frame the server sent, once it did. */
async function serverCloseCode(client: RawClient): Promise<number | undefined> {
  const [close] = await client.waitForFrames(1, (frame) => frame.opcode === Opcode.Close);
  return close?.closeCode;
}

/** Someone else's echo still works: one bad client never takes the server from the rest. */
async function othersStillServed(): Promise<void> {
  const ws = await openClient(wsUrl("/echo"));
  ws.send("still here");
  expect((await nextMessage(ws)).data).toBe("still here");
  ws.close();
  await closed(ws);
}

describe("bad input from a client gets the close code RFC 6455 names, and nothing else breaks", () => {
  it("invalid UTF-8 split across fragments: 1007", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.send(Opcode.Text, Uint8Array.of(0x48, 0xe2, 0x82), false);
    // 0x28 cannot continue the 3-byte sequence E2 82 …
    client.send(Opcode.Continuation, Uint8Array.of(0x28), true);
    expect(await serverCloseCode(client)).toBe(1007);
    await othersStillServed();
  });

  it("a message of 1 MiB + 1 byte: 1009", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.send(Opcode.Binary, new Uint8Array(1024 * 1024 + 1));
    expect(await serverCloseCode(client)).toBe(1009);
    await othersStillServed();
  });

  it("a fragmented control frame: 1002", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.send(Opcode.Ping, "ping in pieces", false);
    expect(await serverCloseCode(client)).toBe(1002);
    await othersStillServed();
  });

  it("a control frame longer than 125 bytes: 1002", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.send(Opcode.Ping, new Uint8Array(126));
    expect(await serverCloseCode(client)).toBe(1002);
    await othersStillServed();
  });

  it("an unmasked client frame: 1002", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.socket.write(encodeFrame({ opcode: Opcode.Text, payload: Buffer.from("no mask") }));
    expect(await serverCloseCode(client)).toBe(1002);
    await othersStillServed();
  });

  it("RSV1 without a negotiated extension: 1002", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.socket.write(
      encodeFrame({ opcode: Opcode.Text, payload: Buffer.from("x"), rsv1: true, maskKey: 7 }),
    );
    expect(await serverCloseCode(client)).toBe(1002);
    await othersStillServed();
  });

  it("a zip bomb on /deflate: a few KiB on the wire that inflate past 1 MiB: 1009", async () => {
    const ws = new WebSocket(wsUrl("/deflate?tap=zip-bomb-test-tap"), {
      perMessageDeflate: { threshold: 0 },
    });
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    expect(ws.extensions).toContain("permessage-deflate");
    const done = closed(ws);
    ws.send(Buffer.alloc(16 * 1024 * 1024, 0x61).toString("latin1"));
    expect((await done).code).toBe(1009);
    await othersStillServed();
  });
});
