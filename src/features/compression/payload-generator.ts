/** Payloads that show when permessage-deflate helps, and when it cannot. */

export const PayloadKind = {
  RepetitiveText: "repetitive-text",
  JsonRecords: "json-records",
  RandomBytes: "random-bytes",
} as const;
export type PayloadKind = (typeof PayloadKind)[keyof typeof PayloadKind];

export const PAYLOAD_KINDS: readonly { value: PayloadKind; label: string; hint: string }[] = [
  {
    value: PayloadKind.RepetitiveText,
    label: "Repetitive text",
    hint: "One sentence over and over: deflate's back-references shrink it to a few percent",
  },
  {
    value: PayloadKind.JsonRecords,
    label: "JSON records",
    hint: "Records with the same keys: the keys repeat, the values vary, typically 15-30%",
  },
  {
    value: PayloadKind.RandomBytes,
    label: "Random bytes",
    hint: "Nothing repeats: compressed output is slightly larger than the input",
  },
];

export const PAYLOAD_SIZES = [100, 1024, 10 * 1024, 100 * 1024] as const;

const SENTENCE = "The quick brown fox jumps over the lazy dog. ";
const NAMES = ["ada", "grace", "alan", "edsger", "barbara", "donald", "margaret", "ken"];

/** A payload of about `size` bytes (exactly, except JSON, which ends on a whole record). */
export function generatePayload(
  kind: PayloadKind,
  size: number,
  random: () => number = Math.random,
): string | Uint8Array {
  switch (kind) {
    case PayloadKind.RepetitiveText:
      return SENTENCE.repeat(Math.ceil(size / SENTENCE.length)).slice(0, size);
    case PayloadKind.JsonRecords: {
      const records: string[] = [];
      let length = 2;
      for (let id = 1; length < size; id += 1) {
        const name = NAMES[Math.floor(random() * NAMES.length)] ?? "ada";
        const record = JSON.stringify({
          id,
          user: name,
          email: `${name}${Math.floor(random() * 1000)}@example.org`,
          active: random() < 0.5,
          score: Math.round(random() * 10_000) / 100,
        });
        records.push(record);
        length += record.length + 1;
      }
      return `[${records.join(",")}]`;
    }
    case PayloadKind.RandomBytes: {
      const bytes = new Uint8Array(size);
      for (let index = 0; index < size; index += 1) bytes[index] = Math.floor(random() * 256);
      return bytes;
    }
  }
}
