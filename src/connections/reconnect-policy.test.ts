import { describe, expect, it } from "vitest";
import {
  RECONNECT_INITIAL_DELAY_MS,
  RECONNECT_JITTER,
  RECONNECT_MAX_DELAY_MS,
  reconnectDelay,
  shouldReconnect,
} from "./reconnect-policy.ts";

describe("reconnectDelay", () => {
  it("doubles from the initial delay up to the cap, without jitter at the midpoint", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => reconnectDelay(attempt, 0.5));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it("spreads each wait by at most the jitter fraction, and never past the cap", () => {
    const low = reconnectDelay(1, 0);
    const high = reconnectDelay(1, 0.999_999);
    expect(low).toBe(RECONNECT_INITIAL_DELAY_MS * (1 - RECONNECT_JITTER));
    expect(high).toBeCloseTo(RECONNECT_INITIAL_DELAY_MS * (1 + RECONNECT_JITTER), 0);
    expect(reconnectDelay(20, 0.999_999)).toBe(RECONNECT_MAX_DELAY_MS);
  });
});

describe("shouldReconnect", () => {
  it("retries drops and server trouble, not the page's own close or a normal closure", () => {
    expect(shouldReconnect({ code: 1006, closedByPage: false })).toBe(true);
    expect(shouldReconnect({ code: 1001, closedByPage: false })).toBe(true);
    expect(shouldReconnect({ code: 1013, closedByPage: false })).toBe(true);
    expect(shouldReconnect({ code: 4000, closedByPage: false })).toBe(true);
    expect(shouldReconnect({ code: 1000, closedByPage: false })).toBe(false);
    expect(shouldReconnect({ code: 1006, closedByPage: true })).toBe(false);
  });
});
