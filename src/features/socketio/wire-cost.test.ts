import { describe, expect, it } from "vitest";
import {
  chapterExchange,
  engineIoOpenPacket,
  socketIoConnectPacket,
  socketIoEventPacket,
  socketIoStartCost,
  webSocketHeaderBytes,
} from "./wire-cost.ts";

describe("socketIoEventPacket", () => {
  it("builds the chapter's message as it crosses the wire", () => {
    expect(socketIoEventPacket("/", "message", ["Hello"])).toBe('42["message","Hello"]');
  });
  it("adds the namespace and the ack id", () => {
    expect(socketIoEventPacket("/chat", "say", ["hi"], 3)).toBe('42/chat,3["say","hi"]');
  });
});

describe("socketIoConnectPacket", () => {
  it("is a bare 40 on the main namespace and carries the auth payload", () => {
    expect(socketIoConnectPacket("/")).toBe("40");
    expect(socketIoConnectPacket("/chat", { token: "abc" })).toBe('40/chat,{"token":"abc"}');
  });
});

describe("chapterExchange", () => {
  it("counts the bytes of the real strings: 21 for Socket.IO against 5 raw", () => {
    const [sent, answer, chat] = chapterExchange("Hello");
    expect(sent).toMatchObject({
      socketIo: '42["message","Hello"]',
      socketIoBytes: 21,
      raw: "Hello",
      rawBytes: 5,
      mux: '{"op":"data","ch":1,"data":"Hello"}',
      muxBytes: 35,
    });
    expect(answer).toMatchObject({
      socketIo: '42["message","Received: Hello"]',
      socketIoBytes: 31,
      rawBytes: 15,
      from: "server",
    });
    expect(chat).toMatchObject({ socketIo: '42/chat,["say","Hello"]', socketIoBytes: 23 });
  });
  it("counts UTF-8 bytes, not characters", () => {
    const [sent] = chapterExchange("é");
    expect(sent?.rawBytes).toBe(2);
    expect(sent?.socketIoBytes).toBe(18);
  });
});

describe("socketIoStartCost", () => {
  it("adds the open packet, a CONNECT and its answer per namespace, and the probe", () => {
    const cost = socketIoStartCost(["/", "/chat"], { polling: true, sid: "s".repeat(20) });
    expect(cost.open).toBe(
      `0{"sid":"${"s".repeat(20)}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1048576}`,
    );
    expect(cost.openBytes).toBe(cost.open.length);
    expect(cost.connects.map((c) => c.sent)).toEqual(["40", "40/chat,"]);
    expect(cost.connects[1]?.answer).toBe(`40/chat,{"sid":"${"y".repeat(20)}"}`);
    expect(cost.probeBytes).toBe(13);
    expect(cost.heartbeatBytes).toBe(2);
    const connectBytes = 2 + 32 + 8 + 38;
    expect(cost.total).toBe(cost.openBytes + connectBytes + 13);
  });
  it("has no probe over WebSocket only, and carries the auth in every CONNECT", () => {
    const cost = socketIoStartCost(["/"], { polling: false, auth: { token: "t" } });
    expect(cost.probe).toEqual([]);
    expect(cost.open).toContain('"upgrades":[]');
    expect(cost.connects[0]?.sent).toBe('40{"token":"t"}');
  });
});

describe("webSocketHeaderBytes and engineIoOpenPacket", () => {
  it("gives 2 header bytes to a short server frame, 6 to a masked client frame", () => {
    expect(webSocketHeaderBytes(5, false)).toBe(2);
    expect(webSocketHeaderBytes(21, true)).toBe(6);
    expect(webSocketHeaderBytes(126, false)).toBe(4);
    expect(webSocketHeaderBytes(70_000, true)).toBe(14);
  });
  it("starts with the Engine.IO OPEN type", () => {
    expect(engineIoOpenPacket("a", [])).toMatch(/^0\{"sid":"a"/);
  });
});
