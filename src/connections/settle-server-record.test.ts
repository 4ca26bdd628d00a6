import { afterEach, describe, expect, it, vi } from "vitest";
import { type ServerRecord, useConnections } from "../stores/connections-store.ts";
import { settleServerRecord } from "./inspector-client.ts";

// Once an attempt is over without the server's record, the page asks GET /api/taps/ID. What it
// concludes must follow the answer, and "could not ask" must never look like "waiting".

function waitingCard(): string {
  const id = useConnections.getState().addCard();
  useConnections
    .getState()
    .patchCard(id, { attempt: 1, tapId: "tap-settle-test", serverRecord: "waiting" });
  return id;
}

function record(id: string): ServerRecord | undefined {
  return useConnections.getState().cards[id]?.serverRecord;
}

describe("settleServerRecord", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    [404, "absent"],
    [200, "waiting"],
    [503, "unreadable"],
  ] as const)("HTTP %i → %s", async (status, expected) => {
    vi.stubGlobal("fetch", async () => new Response(null, { status }));
    const id = waitingCard();
    await settleServerRecord(id, 1);
    expect(record(id)).toBe(expected);
  });

  it("a server that cannot be reached leaves the record unreadable, not waiting", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const id = waitingCard();
    await settleServerRecord(id, 1);
    expect(record(id)).toBe("unreadable");
  });

  it("an answer about an older attempt changes nothing", async () => {
    vi.stubGlobal("fetch", async () => new Response(null, { status: 404 }));
    const id = waitingCard();
    const settling = settleServerRecord(id, 1);
    useConnections.getState().patchCard(id, { attempt: 2 });
    await settling;
    expect(record(id)).toBe("waiting");
  });
});
