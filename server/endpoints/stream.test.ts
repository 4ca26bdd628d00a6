import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type RunningServer, startServer } from "../index.ts";
import { createPayloadMaker } from "./stream.ts";

describe("createPayloadMaker", () => {
  it("makes text and binary of exactly the asked size", () => {
    const text = createPayloadMaker({
      count: 1,
      size: 100,
      rate: 1,
      kind: "text",
      compressible: false,
    });
    expect(Buffer.byteLength(text(1) as string)).toBe(100);
    const binary = createPayloadMaker({
      count: 1,
      size: 100,
      rate: 1,
      kind: "binary",
      compressible: true,
    });
    expect((binary(1) as Buffer).length).toBe(100);
  });

  it("makes JSON envelopes padded to the size", () => {
    const json = createPayloadMaker({
      count: 1,
      size: 200,
      rate: 1,
      kind: "json",
      compressible: true,
    });
    const message = JSON.parse(json(7) as string);
    expect(message).toMatchObject({ seq: 7, at: expect.any(Number) });
    expect(Buffer.byteLength(json(7) as string)).toBe(200);
  });

  it("makes compressible payloads repetitive and random ones not", () => {
    const repetitive = createPayloadMaker({
      count: 1,
      size: 64,
      rate: 1,
      kind: "text",
      compressible: true,
    });
    expect(repetitive(1)).toMatch(/quick brown fox/);
  });
});

describe("/stream with a real client", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  });
  afterAll(() => server.close());

  it("sends count messages of the kind asked, then closes with 1000", async () => {
    const ws = new WebSocket(
      `${server.url.replace("http", "ws")}/stream?count=500&rate=100000&size=32&kind=binary`,
    );
    const received: { size: number; binary: boolean }[] = [];
    ws.on("message", (data, isBinary) =>
      received.push({ size: (data as Buffer).length, binary: isBinary }),
    );
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      ws.once("close", (closeCode, closeReason) => resolve([closeCode, closeReason.toString()])),
    );
    expect(code).toBe(1000);
    expect(reason).toBe("Sent 500 messages");
    expect(received).toHaveLength(500);
    expect(received.every((message) => message.size === 32 && message.binary)).toBe(true);
  });

  it("refuses a count above the bound", async () => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/stream?count=1000001`);
    const error = await new Promise<Error>((resolve) => ws.once("error", resolve));
    expect(error.message).toContain("400");
  });
});
