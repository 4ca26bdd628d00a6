/**
 * When a card reconnects by itself: exponential backoff with jitter, a cap and a maximum
 * number of attempts. Pure (the random source and the clock are the caller's), so the
 * schedule can be tested and shown on the page before it happens.
 */

/** Wait before the first reconnection attempt. */
export const RECONNECT_INITIAL_DELAY_MS = 500;
/** Each further attempt waits this many times longer than the one before… */
export const RECONNECT_BACKOFF_FACTOR = 2;
/** …but never longer than this. */
export const RECONNECT_MAX_DELAY_MS = 15_000;
/**
 * Each wait is spread by up to ±this fraction, so that a room of clients dropped at the same
 * moment does not come back at the same moment (a thundering herd).
 */
export const RECONNECT_JITTER = 0.3;
/** Attempts after one drop before giving up (a connection that opens starts the count anew). */
export const RECONNECT_MAX_ATTEMPTS = 8;

/**
 * The wait before reconnection attempt `attempt` (1 for the first after a drop).
 * @param random a number in [0, 1), e.g. Math.random()
 */
export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(
    RECONNECT_MAX_DELAY_MS,
    RECONNECT_INITIAL_DELAY_MS * RECONNECT_BACKOFF_FACTOR ** Math.max(0, attempt - 1),
  );
  const spread = base * RECONNECT_JITTER * (2 * random - 1);
  return Math.round(Math.min(RECONNECT_MAX_DELAY_MS, base + spread));
}

export interface CloseFacts {
  code: number;
  /** The page itself asked to close (Disconnect, close with a code, removing the card). */
  closedByPage: boolean;
}

/**
 * Whether a closed connection should be tried again. Not when the page closed it, and not
 * after a normal closure from the server (1000: the conversation is over) — everything else,
 * a 1006 drop, 1001 going away, 1011, 1012 restart, 1013 try again later, is worth a retry.
 */
export function shouldReconnect(close: CloseFacts): boolean {
  if (close.closedByPage) return false;
  return close.code !== 1000;
}
