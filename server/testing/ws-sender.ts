import * as wsModule from "ws";

export interface SenderFrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  maskBuffer?: Buffer;
  /** Fills the 4-byte mask; without it `ws` draws a random one. */
  generateMask?: (mask: Buffer) => void;
}

/**
 * `ws`'s own frame encoder (`Sender.frame`), which its type definitions leave out: tests and
 * the bench compare our parser with the frames the real library produces.
 */
export const wsSenderFrame = (
  wsModule as unknown as {
    Sender: { frame(data: Buffer, options: SenderFrameOptions): Buffer[] };
  }
).Sender.frame;
