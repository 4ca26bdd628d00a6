import type { HeaderList } from "./inspector-events.ts";

/**
 * A header's value in a list of [name, value] pairs as they crossed the wire: names match
 * case-insensitively, and repeated headers are joined with ", " (RFC 9110 §5.3). "" when
 * absent.
 */
export function headerValue(headers: HeaderList, name: string): string {
  const lower = name.toLowerCase();
  return headers
    .filter(([key]) => key.toLowerCase() === lower)
    .map(([, value]) => value)
    .join(", ");
}
