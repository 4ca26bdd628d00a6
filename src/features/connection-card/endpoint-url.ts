import type { EndpointSpec } from "../../protocol/endpoint-catalogue.ts";

/** The catalogue entry a WebSocket URL points at, when it is on the page's own host. */
export function endpointForUrl(
  url: string,
  endpoints: readonly EndpointSpec[] | undefined,
  pageHost: string = typeof location === "undefined" ? "" : location.host,
): EndpointSpec | undefined {
  const parsed = safeUrl(url);
  if (!parsed || parsed.host !== pageHost) return undefined;
  return endpoints?.find((endpoint) => endpoint.path === parsed.pathname);
}

export function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The same URL with another query string (empty query: no `?`). */
export function withQuery(url: string, query: URLSearchParams): string {
  const parsed = safeUrl(url);
  if (!parsed) return url;
  parsed.search = query.toString();
  return parsed.toString();
}
