/**
 * How the companion server answers a client's permessage-deflate offers (RFC 7692), as a pure
 * function the server runs on every handshake and the page uses to explain the answer.
 *
 * One story for a window of 8 bits: zlib widens a raw-deflate window of 8 bits to 9, so a
 * compressor told to keep to 256 bytes may refer 512 bytes back, which a peer whose inflater
 * really keeps 256 bytes cannot read. The server therefore never names 8: its own query
 * refuses 8 (HTTP 400), an offer asking the server to compress with 8 is declined (§7.1.2.1
 * allows no larger answer), and a client's hint that it compresses with 8 is ignored (§7.1.2.2
 * lets the server leave `client_max_window_bits` out, so its inflater keeps 15 bits and reads
 * anything).
 */
import {
  type DeflateParams,
  formatDeflateParams,
  parseExtensionHeader,
  readDeflateParams,
} from "./extensions.ts";

/** What the server's query insists on (unset: whatever the client offers). */
export interface DeflatePolicy {
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  /** 9–15. */
  serverMaxWindowBits?: number;
  /** 9–15; applied only when the client offered `client_max_window_bits`. */
  clientMaxWindowBits?: number;
}

export type DeflateNegotiation =
  /** The client offered no permessage-deflate. */
  | { kind: "not-offered" }
  /**
   * The first acceptable offer, answered with `answer` (formatted in `header`). `notes` say
   * where the answer differs from what was asked; `declined` why earlier offers were not taken.
   */
  | { kind: "accepted"; answer: DeflateParams; header: string; notes: string[]; declined: string[] }
  /** Every offer was invalid or unacceptable: the connection opens without compression (§5.1). */
  | { kind: "declined"; declined: string[] };

export const EXTENSION_NAME = "permessage-deflate";

/** Why a window of 8 bits is never used by this server. */
export const WINDOW_BITS_8_WIDENED =
  "zlib widens a raw-deflate window of 8 bits to 9, so a compressor told to use 8 may refer back 512 bytes";

/** Answers the `Sec-WebSocket-Extensions` header of a handshake under the query's policy. */
export function negotiateDeflate(
  header: string | undefined,
  policy: DeflatePolicy,
): DeflateNegotiation {
  if (header === undefined || header.trim() === "") return { kind: "not-offered" };
  const parsed = parseExtensionHeader(header);
  if (!parsed.ok) {
    // Without a readable header, no offer in it can be trusted: decline them all.
    return /permessage-deflate/i.test(header)
      ? { kind: "declined", declined: [`Sec-WebSocket-Extensions is malformed: ${parsed.reason}`] }
      : { kind: "not-offered" };
  }
  const offers = parsed.offers.filter((offer) => offer.name.toLowerCase() === EXTENSION_NAME);
  if (offers.length === 0) return { kind: "not-offered" };
  const declined: string[] = [];
  for (const [index, offer] of offers.entries()) {
    const label = offers.length > 1 ? `offer ${index + 1}: ` : "";
    const read = readDeflateParams(offer.params, "offer");
    if (!read.ok) {
      declined.push(`${label}${read.reason}`);
      continue;
    }
    const answered = answerOffer(read.params, policy);
    if ("refusal" in answered) {
      declined.push(`${label}${answered.refusal}`);
      continue;
    }
    return {
      kind: "accepted",
      answer: answered.answer,
      header: formatDeflateParams(answered.answer),
      notes: answered.notes,
      declined,
    };
  }
  return { kind: "declined", declined };
}

function answerOffer(
  offer: DeflateParams,
  policy: DeflatePolicy,
): { answer: DeflateParams; notes: string[] } | { refusal: string } {
  if (offer.serverMaxWindowBits === 8) {
    return {
      refusal: `server_max_window_bits=8 declined: ${WINDOW_BITS_8_WIDENED}, more than a 256-byte inflater can read (RFC 7692 §7.1.2.1)`,
    };
  }
  const notes: string[] = [];
  const answer: DeflateParams = {
    serverNoContextTakeover:
      offer.serverNoContextTakeover || policy.serverNoContextTakeover === true,
    clientNoContextTakeover:
      offer.clientNoContextTakeover || policy.clientNoContextTakeover === true,
  };
  const serverBits = smallerOf(offer.serverMaxWindowBits, policy.serverMaxWindowBits);
  if (serverBits !== undefined) answer.serverMaxWindowBits = serverBits;

  const offered = offer.clientMaxWindowBits;
  if (offered === undefined) {
    if (policy.clientMaxWindowBits !== undefined) {
      notes.push(
        `client_max_window_bits=${policy.clientMaxWindowBits} not sent: the client did not offer client_max_window_bits, so it may not be limited (RFC 7692 §7.1.2.2)`,
      );
    }
  } else if (offered === 8) {
    notes.push(
      `client_max_window_bits=8 left out: ${WINDOW_BITS_8_WIDENED}; the server's inflater keeps 15 bits and reads whatever the client sends`,
    );
  } else if (offered === true) {
    if (policy.clientMaxWindowBits !== undefined)
      answer.clientMaxWindowBits = policy.clientMaxWindowBits;
  } else {
    answer.clientMaxWindowBits = smallerOf(offered, policy.clientMaxWindowBits) ?? offered;
  }
  return { answer, notes };
}

function smallerOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
