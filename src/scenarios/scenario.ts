/**
 * A scenario: everything that defines a set of cards (mode, URL with its parameters,
 * subprotocols, what is typed in the composers, reconnection, Socket.IO settings, mux lanes,
 * collapsed panels), as a plain JSON value. It is what the page keeps in localStorage, exports
 * and imports as a file, and shares as a link (scenario-link.ts).
 *
 * Pure: no DOM, no store state (only the stores' defaults, so a fresh card and a scenario's
 * default card are one definition). Parsing returns errors as values, with the path of the bad
 * field, because a scenario comes from a file or a link someone else made.
 */
import {
  DEFAULT_COMPOSER,
  DEFAULT_EMIT,
  DEFAULT_SOCKET_IO_SETTINGS,
} from "../stores/connections-store.ts";

export const SCENARIO_FORMAT = "websocket-playground/scenario";
export const SCENARIO_VERSION = 1;

/** Cards one scenario may hold: more would not fit a screen, and bounds the work of opening it. */
export const MAX_SCENARIO_CARDS = 16;
/** Characters one text field may hold (the composer's text is the only big one). */
export const MAX_SCENARIO_TEXT = 100_000;
/** Mux lanes one card may restore (the server allows 256 channels). */
export const MAX_SCENARIO_LANES = 32;

export type ScenarioMode = "websocket" | "socketio";
export type ScenarioComposerFormat = "text" | "json" | "hex" | "base64";
export type ScenarioTransports = "polling-upgrade" | "websocket";
export type ScenarioListen = "all" | "named";

export interface ScenarioCard {
  mode: ScenarioMode;
  /**
   * The WebSocket URL. One on the page's own server is kept relative to it ("/echo?x=1"), so a
   * scenario made on localhost opens on the workshop's LAN address too; others stay absolute.
   */
  url: string;
  /** Comma-separated, most preferred first, as typed. */
  subprotocols: string;
  reconnect: boolean;
  composer: { format: ScenarioComposerFormat; text: string; times: number };
  socketIo: {
    /** The Socket.IO server; "" is the page's own server (relative, like `url`). */
    url: string;
    namespaces: string;
    transports: ScenarioTransports;
    auth: string;
    listen: ScenarioListen;
    listenEvents: string;
  };
  emit: { namespace: string; event: string; args: string; ack: boolean };
  /** Channels to open on a `/mux` card once it connects, in order. */
  muxLanes: { service: string; params: Record<string, unknown> }[];
  /** Keys of the card's panels shown collapsed. */
  collapsed: string[];
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  version: typeof SCENARIO_VERSION;
  /** Shown when the scenario is opened (a tour stop's name, a workshop's title). */
  title: string;
  cards: ScenarioCard[];
}

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; reason: string };

/** What a fresh card is (connections-store's defaults), as a scenario card. */
export const DEFAULT_SCENARIO_CARD: ScenarioCard = {
  mode: "websocket",
  url: "/echo",
  subprotocols: "",
  reconnect: false,
  composer: { ...DEFAULT_COMPOSER },
  socketIo: {
    url: "",
    namespaces: DEFAULT_SOCKET_IO_SETTINGS.namespacesText,
    transports: DEFAULT_SOCKET_IO_SETTINGS.transports,
    auth: DEFAULT_SOCKET_IO_SETTINGS.authText,
    listen: DEFAULT_SOCKET_IO_SETTINGS.listen,
    listenEvents: DEFAULT_SOCKET_IO_SETTINGS.listenEventsText,
  },
  emit: {
    namespace: DEFAULT_EMIT.namespace,
    event: DEFAULT_EMIT.event,
    args: DEFAULT_EMIT.argsText,
    ack: DEFAULT_EMIT.ack,
  },
  muxLanes: [],
  collapsed: [],
};

/** A card with every field not given taken from the defaults (nested objects field by field). */
export function scenarioCard(init: DeepPartial<ScenarioCard> = {}): ScenarioCard {
  const base = DEFAULT_SCENARIO_CARD;
  return {
    ...base,
    ...(init as Partial<ScenarioCard>),
    composer: { ...base.composer, ...init.composer },
    socketIo: { ...base.socketIo, ...init.socketIo },
    emit: { ...base.emit, ...init.emit },
    muxLanes: (init.muxLanes as ScenarioCard["muxLanes"] | undefined) ?? [],
    collapsed: (init.collapsed as string[] | undefined) ?? [],
  };
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object
      ? DeepPartial<T[K]>
      : T[K];
};

export function makeScenario(cards: ScenarioCard[], title = ""): Scenario {
  return { format: SCENARIO_FORMAT, version: SCENARIO_VERSION, title, cards };
}

// ---------------------------------------------------------------------------------------------
// Parsing: a value from JSON.parse → a Scenario, or the first thing wrong with it.

class Invalid extends Error {}

function fail(path: string, what: string): never {
  throw new Invalid(`${path}: ${what}`);
}

type Reader = { at: string; value: Record<string, unknown> };

function objectAt(value: unknown, at: string): Reader {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(at, "must be an object");
  return { at, value: value as Record<string, unknown> };
}

function text(reader: Reader, key: string, fallback: string): string {
  const value = reader.value[key];
  if (value === undefined) return fallback;
  if (typeof value !== "string") fail(`${reader.at}.${key}`, "must be a string");
  if (value.length > MAX_SCENARIO_TEXT)
    fail(`${reader.at}.${key}`, `is longer than ${MAX_SCENARIO_TEXT} characters`);
  return value;
}

function flag(reader: Reader, key: string, fallback: boolean): boolean {
  const value = reader.value[key];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(`${reader.at}.${key}`, "must be true or false");
  return value;
}

function oneOf<T extends string>(
  reader: Reader,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = reader.value[key];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T))
    fail(
      `${reader.at}.${key}`,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
    );
  return value as T;
}

function nested(reader: Reader, key: string): Reader {
  const value = reader.value[key];
  return value === undefined
    ? { at: `${reader.at}.${key}`, value: {} }
    : objectAt(value, `${reader.at}.${key}`);
}

function list(reader: Reader, key: string, max: number): unknown[] {
  const value = reader.value[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${reader.at}.${key}`, "must be an array");
  if (value.length > max) fail(`${reader.at}.${key}`, `may hold at most ${max} entries`);
  return value;
}

function parseCard(value: unknown, at: string): ScenarioCard {
  const card = objectAt(value, at);
  const base = DEFAULT_SCENARIO_CARD;
  const composer = nested(card, "composer");
  const socketIo = nested(card, "socketIo");
  const emit = nested(card, "emit");
  const timesValue = composer.value.times;
  let times = base.composer.times;
  if (timesValue !== undefined) {
    if (typeof timesValue !== "number" || !Number.isInteger(timesValue) || timesValue < 1)
      fail(`${composer.at}.times`, "must be a whole number of at least 1");
    times = timesValue;
  }
  return {
    mode: oneOf(card, "mode", ["websocket", "socketio"], base.mode),
    url: text(card, "url", base.url),
    subprotocols: text(card, "subprotocols", base.subprotocols),
    reconnect: flag(card, "reconnect", base.reconnect),
    composer: {
      format: oneOf(composer, "format", ["text", "json", "hex", "base64"], base.composer.format),
      text: text(composer, "text", base.composer.text),
      times,
    },
    socketIo: {
      url: text(socketIo, "url", base.socketIo.url),
      namespaces: text(socketIo, "namespaces", base.socketIo.namespaces),
      transports: oneOf(
        socketIo,
        "transports",
        ["polling-upgrade", "websocket"],
        base.socketIo.transports,
      ),
      auth: text(socketIo, "auth", base.socketIo.auth),
      listen: oneOf(socketIo, "listen", ["all", "named"], base.socketIo.listen),
      listenEvents: text(socketIo, "listenEvents", base.socketIo.listenEvents),
    },
    emit: {
      namespace: text(emit, "namespace", base.emit.namespace),
      event: text(emit, "event", base.emit.event),
      args: text(emit, "args", base.emit.args),
      ack: flag(emit, "ack", base.emit.ack),
    },
    muxLanes: list(card, "muxLanes", MAX_SCENARIO_LANES).map((lane, index) => {
      const reader = objectAt(lane, `${card.at}.muxLanes[${index}]`);
      const service = reader.value.service;
      if (typeof service !== "string" || service === "")
        fail(`${reader.at}.service`, "must be a service name");
      const params = reader.value.params === undefined ? {} : nested(reader, "params").value;
      return { service, params };
    }),
    collapsed: list(card, "collapsed", 64).map((key, index) => {
      if (typeof key !== "string") fail(`${card.at}.collapsed[${index}]`, "must be a string");
      return key;
    }),
  };
}

/** Checks a value (from JSON.parse) and fills in what it leaves out; unknown fields are ignored. */
export function parseScenario(value: unknown): ParsedScenario {
  try {
    const root = objectAt(value, "scenario");
    if (root.value.format !== SCENARIO_FORMAT)
      fail("scenario.format", `must be "${SCENARIO_FORMAT}" (is this a scenario file?)`);
    if (root.value.version !== SCENARIO_VERSION)
      fail(
        "scenario.version",
        `is ${JSON.stringify(root.value.version)}; this page reads version ${SCENARIO_VERSION}`,
      );
    const cards = list(root, "cards", MAX_SCENARIO_CARDS).map((card, index) =>
      parseCard(card, `scenario.cards[${index}]`),
    );
    return { ok: true, scenario: makeScenario(cards, text(root, "title", "")) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Parses a scenario file's text. */
export function parseScenarioJson(json: string): ParsedScenario {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not JSON: ${detail}` };
  }
  return parseScenario(value);
}

// ---------------------------------------------------------------------------------------------
// URLs on the page's own server are kept relative to it.

/** Where the page was loaded from: `location.protocol` and `location.host`. */
export interface PageOrigin {
  protocol: string;
  host: string;
}

function originOf(page: PageOrigin, kind: "ws" | "http"): string {
  const secure = page.protocol === "https:";
  const scheme = kind === "ws" ? (secure ? "wss:" : "ws:") : secure ? "https:" : "http:";
  return `${scheme}//${page.host}`;
}

/**
 * The URL as a scenario keeps it: what follows the page's own origin ("/echo?x=1", or "" for
 * the origin itself) when it is on the page's server, the URL unchanged otherwise.
 */
export function relativeToPage(url: string, page: PageOrigin, kind: "ws" | "http"): string {
  const origin = originOf(page, kind);
  if (url === origin) return "";
  if (url.startsWith(`${origin}/`) || url.startsWith(`${origin}?`)) return url.slice(origin.length);
  return url;
}

/** The inverse of `relativeToPage`: a URL without a scheme is on the page's own server. */
export function resolveOnPage(stored: string, page: PageOrigin, kind: "ws" | "http"): string {
  if (stored.includes("://")) return stored;
  return `${originOf(page, kind)}${stored}`;
}
