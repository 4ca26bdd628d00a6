/**
 * A scenario as a link: its JSON, deflated (raw DEFLATE, RFC 1951) and base64url-encoded into
 * the URL fragment (`#scenario=…`). The fragment never reaches a server, so no server stores
 * scenarios, and compression keeps long ones well under URL-length limits. `&connect` after it
 * asks the page to connect every card once it has rebuilt them (a presenter's link).
 *
 * Uses the platform's CompressionStream (browsers and Node 18+), so the same code is tested
 * under Node.
 */
import { type ParsedScenario, parseScenarioJson, type Scenario } from "./scenario.ts";

export const SCENARIO_FRAGMENT_KEY = "scenario";
export const CONNECT_FRAGMENT_KEY = "connect";
/** Bytes a link's scenario may inflate to: bounds what a hostile link can make the page do. */
export const MAX_SCENARIO_JSON_BYTES = 2 * 1024 * 1024;

async function pipeAll(
  input: Uint8Array,
  transform: CompressionStream | DecompressionStream,
  limit: number,
): Promise<Uint8Array | undefined> {
  const writer = transform.writable.getWriter();
  // Errors surface through the reader below; the writer's own promise is only observed.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = transform.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** The fragment's value for a scenario (without `#scenario=`). */
export async function encodeScenario(scenario: Scenario): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(scenario));
  const deflated = await pipeAll(
    json,
    new CompressionStream("deflate-raw"),
    Number.POSITIVE_INFINITY,
  );
  if (!deflated) throw new Error("unreachable: no limit on compression");
  return toBase64Url(deflated);
}

/** Reads an encoded scenario back, with the reason when it cannot. */
export async function decodeScenario(encoded: string): Promise<ParsedScenario> {
  const deflated = fromBase64Url(encoded);
  if (!deflated) return { ok: false, reason: "the link's scenario is not base64url text" };
  let json: Uint8Array | undefined;
  try {
    json = await pipeAll(deflated, new DecompressionStream("deflate-raw"), MAX_SCENARIO_JSON_BYTES);
  } catch {
    return {
      ok: false,
      reason: "the link's scenario is not DEFLATE data (cut short when copied?)",
    };
  }
  if (!json)
    return {
      ok: false,
      reason: `the link's scenario inflates to more than ${MAX_SCENARIO_JSON_BYTES / 1024 / 1024} MiB`,
    };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    return { ok: false, reason: "the link's scenario is not UTF-8 text" };
  }
  return parseScenarioJson(text);
}

/** What a page's fragment asks for: a scenario to open (encoded), and whether to connect it. */
export interface FragmentRequest {
  encoded: string | undefined;
  connect: boolean;
}

/**
 * Reads `#scenario=…&connect` (the order does not matter). `connect` also counts in the query
 * (`?connect`), where a presenter may put it by habit.
 */
export function readFragment(hash: string, search = ""): FragmentRequest {
  const fragment = new URLSearchParams(hash.replace(/^#/, ""));
  const query = new URLSearchParams(search.replace(/^\?/, ""));
  return {
    encoded: fragment.get(SCENARIO_FRAGMENT_KEY) ?? undefined,
    connect: fragment.has(CONNECT_FRAGMENT_KEY) || query.has(CONNECT_FRAGMENT_KEY),
  };
}

/** The link that opens a scenario on the page at `pageUrl` (its own fragment replaced). */
export function scenarioLink(pageUrl: string, encoded: string, connect = false): string {
  const base = pageUrl.split("#")[0] ?? pageUrl;
  return `${base}#${SCENARIO_FRAGMENT_KEY}=${encoded}${connect ? `&${CONNECT_FRAGMENT_KEY}` : ""}`;
}
