import { parseBase64, parseHex } from "../../protocol/binary-text.ts";

export const PayloadFormat = { Text: "text", Json: "json", Hex: "hex", Base64: "base64" } as const;
export type PayloadFormat = (typeof PayloadFormat)[keyof typeof PayloadFormat];

export type BuiltPayload =
  | { ok: true; payload: string | Uint8Array; bytes: number }
  | { ok: false; reason: string };

const encoder = new TextEncoder();

/**
 * Turns what the person typed into what `socket.send()` gets: text and JSON go out as text
 * frames (JSON is validated first and sent as typed), hex and base64 as binary frames.
 */
export function buildPayload(format: PayloadFormat, text: string): BuiltPayload {
  switch (format) {
    case "text":
      return { ok: true, payload: text, bytes: encoder.encode(text).length };
    case "json":
      try {
        JSON.parse(text);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return { ok: false, reason: `Not valid JSON: ${detail}` };
      }
      return { ok: true, payload: text, bytes: encoder.encode(text).length };
    case "hex":
    case "base64": {
      const parsed = format === "hex" ? parseHex(text) : parseBase64(text);
      return parsed.ok ? { ok: true, payload: parsed.bytes, bytes: parsed.bytes.length } : parsed;
    }
  }
}

/** Pretty-prints valid JSON with two-space indents; returns the text unchanged otherwise. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
