import type { HttpEvent } from "../../protocol/inspector-events.ts";

/** Query parameters a row leaves out: the tap id, and Engine.IO's cache-busting timestamp. */
const HIDDEN_PARAMS = new Set(["tap", "t"]);

/** Engine.IO's record separator between polling packets, shown as a visible symbol. */
const RECORD_SEPARATOR = "\x1e";

/** A label a decoder gave for something it could not read. */
export function isLabelError(label: string): boolean {
  return label.startsWith("⚠");
}

/** The URL as a row shows it: path and query, without the tap id and the `t` timestamp. */
export function shortHttpUrl(url: string): string {
  const parsed = new URL(url, "http://localhost");
  const kept = [...parsed.searchParams].filter(([name]) => !HIDDEN_PARAMS.has(name));
  const query = new URLSearchParams(kept).toString();
  return query ? `${parsed.pathname}?${query}` : parsed.pathname;
}

export interface HttpRowText {
  /** `GET /socket.io/?EIO=4&transport=polling · 200 · ` */
  request: string;
  /** What the body carried: `open · sid …`, several joined by ` ; `. */
  labels: string;
  hasError: boolean;
  /** The raw body's start, record separators shown as ␞. */
  body: string;
  /** Everything, for the row's tooltip. */
  title: string;
}

/**
 * One half of an HTTP exchange in one 26 px row: method, URL, status, then the packets the
 * body carried, then the raw body, e.g.
 * `GET /socket.io/?EIO=4&transport=polling · 200 · open · sid AbC…  0{"sid":"AbC…",…}`.
 */
export function httpRowText(event: HttpEvent): HttpRowText {
  const parts = [`${event.method} ${shortHttpUrl(event.url)}`];
  if (event.dir === "out") {
    parts.push(event.status === undefined ? "no answer" : String(event.status));
    if (event.aborted) parts.push("cut off");
  } else if (event.bodyLength > 0) {
    parts.push(`${event.bodyLength} bytes`);
  }
  const labels = event.labels.join(" ; ");
  const body = event.body.replaceAll(RECORD_SEPARATOR, "␞");
  const request = `${parts.join(" · ")} · `;
  return {
    request: labels || body ? request : parts.join(" · "),
    labels,
    hasError: event.labels.some(isLabelError),
    body,
    title: [`${event.method} ${event.url}`, ...parts.slice(1), ...event.labels, body]
      .filter((line) => line !== "")
      .join("\n"),
  };
}
