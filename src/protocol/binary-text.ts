/**
 * Binary payloads as text a person can type or read: hex and base64, both ways. Pure, so
 * the composer, the logs and the server's inspector previews agree byte for byte.
 */

export type BinaryParse = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Accepts `48 65 6c`, `48656c`, `0x48 0x65`, with any whitespace, commas or colons between. */
export function parseHex(text: string): BinaryParse {
  const digits = text.replace(/0x/gi, "").replace(/[\s,:]/g, "");
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    const bad = digits.match(/[^0-9a-fA-F]/)?.[0] ?? "";
    return { ok: false, reason: `'${bad}' is not a hex digit (0–9, a–f).` };
  }
  if (digits.length % 2 !== 0) {
    return { ok: false, reason: "Hex needs two digits per byte: the count of digits is odd." };
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  }
  return { ok: true, bytes };
}

export function formatHex(bytes: Uint8Array, limit = bytes.length): string {
  const shown = bytes.subarray(0, limit);
  let out = "";
  for (const byte of shown) out += `${byte.toString(16).padStart(2, "0")} `;
  return out.trimEnd() + (bytes.length > limit ? " …" : "");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseBase64(text: string): BinaryParse {
  const compact = text.replace(/\s/g, "").replace(/-/g, "+").replace(/_/g, "/");
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return { ok: false, reason: "Not valid base64 (A–Z, a–z, 0–9, + and /, = padding)." };
  }
  const binary = atob(compact.padEnd(Math.ceil(compact.length / 4) * 4, "="));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return { ok: true, bytes };
}

export function formatBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Bytes of `text` in UTF-8, counted without encoding it (a lone surrogate counts 3, as U+FFFD). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
