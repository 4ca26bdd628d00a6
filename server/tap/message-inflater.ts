import { constants, inflateRawSync } from "node:zlib";

/** The four bytes RFC 7692 §7.2.1 strips from each compressed message's end. */
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/** The largest LZ77 window (2^15 bytes): a dictionary this long covers every window size. */
const MAX_WINDOW = 32 * 1024;

export type InflateResult = { ok: true; data: Buffer } | { ok: false; error: string };

/**
 * Inflates one direction's permessage-deflate messages as the receiving peer does, without
 * being that peer. Context takeover (RFC 7692 §7.1.1) means each message may refer back to
 * the previous messages' text; the mirror keeps that text's last 32 KiB and hands it to
 * zlib as a preset dictionary, which is exactly the sliding window the peer's inflater
 * holds. Synchronous, so events stay in wire order.
 */
export class MessageInflater {
  readonly #noContextTakeover: boolean;
  readonly #maxOutput: number;
  #window: Buffer = Buffer.alloc(0);

  /**
   * @param noContextTakeover the sender resets its compressor for every message
   * @param maxOutput largest decoded message accepted (a zip bomb stops here)
   */
  constructor(noContextTakeover: boolean, maxOutput: number) {
    this.#noContextTakeover = noContextTakeover;
    this.#maxOutput = maxOutput;
  }

  inflate(compressed: Uint8Array): InflateResult {
    let data: Buffer;
    try {
      data = inflateRawSync(Buffer.concat([compressed, TAIL]), {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: this.#maxOutput,
        ...(this.#window.length > 0 ? { dictionary: this.#window } : {}),
      });
    } catch (error) {
      // The stream is now out of step with the peer's: later messages cannot be trusted.
      this.#window = Buffer.alloc(0);
      const reason = error instanceof RangeError ? "larger than the message limit" : String(error);
      return { ok: false, error: `could not inflate: ${reason}` };
    }
    if (!this.#noContextTakeover) {
      const joined = this.#window.length > 0 ? Buffer.concat([this.#window, data]) : data;
      this.#window =
        joined.length > MAX_WINDOW ? joined.subarray(joined.length - MAX_WINDOW) : joined;
      // Keep a copy, not a view into a possibly huge message buffer.
      if (joined.length > MAX_WINDOW) this.#window = Buffer.from(this.#window);
    }
    return { ok: true, data };
  }
}
