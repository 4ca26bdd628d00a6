/**
 * Splits a comma-separated list (an HTTP list header, a query value, what a person typed)
 * into its trimmed, non-empty items, keeping their order.
 */
export function splitCommaList(text: string | undefined | null): string[] {
  if (!text) return [];
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
