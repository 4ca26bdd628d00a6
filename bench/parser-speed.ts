import { wsSenderFrame } from "../server/testing/ws-sender.ts";
import { FrameParser } from "../src/protocol/frame-parser.ts";

/** Frames made by `ws`'s own sender: masked client frames of the given payload size. */
function makeStream(frames: number, size: number): Buffer {
  const payload = Buffer.alloc(size, 0x61);
  const parts: Buffer[] = [];
  for (let index = 0; index < frames; index += 1) {
    parts.push(
      ...wsSenderFrame(payload, {
        fin: true,
        rsv1: false,
        opcode: 1,
        mask: true,
        readOnly: false,
        maskBuffer: Buffer.from([1, 2, 3, 4]),
      }),
    );
  }
  return Buffer.concat(parts);
}

/** MB/s of the frame parser over `ws`-made frames, fed in 64 KiB chunks as a socket would. */
export function measureParser(frames: number, size: number, rounds = 5): number {
  const stream = makeStream(frames, size);
  const chunk = 64 * 1024;
  let best = 0;
  for (let round = 0; round < rounds; round += 1) {
    const parser = new FrameParser();
    const started = performance.now();
    let count = 0;
    for (let offset = 0; offset < stream.length; offset += chunk) {
      count += parser.push(stream.subarray(offset, offset + chunk)).frames.length;
    }
    const seconds = (performance.now() - started) / 1000;
    if (count !== frames) throw new Error(`parser found ${count} of ${frames} frames`);
    best = Math.max(best, stream.length / seconds / 1e6);
  }
  return best;
}
