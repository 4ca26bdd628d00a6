import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./index.ts";
import { closed, openClient } from "./testing/ws-client.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
});
afterAll(() => server.close());

describe("GET /api/taps/ID", () => {
  it("says 404 for a tap that never reached the server, and what it holds for one that did", async () => {
    const unknown = await fetch(`${server.url}/api/taps/never-seen-tap-id`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/No connection with tap never-seen-tap-id/);

    const ws = await openClient(`${server.url.replace("http", "ws")}/echo?tap=api-taps-test-id`);
    ws.close(1000);
    await closed(ws);
    const known = await fetch(`${server.url}/api/taps/api-taps-test-id`);
    expect(known.status).toBe(200);
    // The handshake and two close frames (the end follows once the server's socket closes).
    const body = await known.json();
    expect(body.tap).toBe("api-taps-test-id");
    expect(body.events).toBeGreaterThanOrEqual(3);

    const stats = await (await fetch(`${server.url}/api/stats`)).json();
    expect(stats.taps.count).toBeGreaterThanOrEqual(1);
    expect(stats.taps.bytes).toBeGreaterThan(0);
  });
});
