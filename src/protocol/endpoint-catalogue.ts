/**
 * The raw WebSocket endpoints the companion server offers, with their parameters. The server
 * publishes this as `GET /api/endpoints`; the page builds its endpoint picker and forms from
 * that response.
 */
import type { ParamSpec, ParamValues } from "./endpoint-params.ts";
import { PreferOrder, type SubprotocolPolicy } from "./subprotocol.ts";

/** `tap=ID`: record this connection for the frame inspector. */
const TAP_ID_PATTERN = "^[A-Za-z0-9_-]{8,64}$";
const TAP_ID = new RegExp(TAP_ID_PATTERN);

export function isTapId(value: string): boolean {
  return TAP_ID.test(value);
}

const TAP_PARAM = {
  name: "tap",
  type: "string",
  default: null,
  min: null,
  max: null,
  pattern: TAP_ID_PATTERN,
  patternHint: "8–64 characters of A–Z, a–z, 0–9, _ and -",
} as const;

/** `tap` on the raw endpoints: optional. */
const OPTIONAL_TAP_PARAM = {
  ...TAP_PARAM,
  required: false,
  description:
    "Record this connection's handshake and frames for the frame inspector (/inspect?tap=ID).",
} as const satisfies ParamSpec;

/** `tap` on `/inspect`: required. */
const REQUIRED_TAP_PARAM = {
  ...TAP_PARAM,
  required: true,
  description: "The tap id of the connection to inspect.",
} as const satisfies ParamSpec;

/** `/inspect`'s query. Not in ENDPOINTS: it inspects the others rather than being a lab. */
export const INSPECT_PARAMS = [
  REQUIRED_TAP_PARAM,
  {
    name: "format",
    type: "enum",
    options: ["json", "batch", "binary"],
    default: "json",
    min: null,
    max: null,
    description:
      "json: one JSON event per text message. batch: JSON arrays of events. binary: frames as compact binary columnar batches, every other event as JSON text (what the page uses to keep up at thousands of frames a second).",
  },
  {
    name: "batch",
    type: "boolean",
    default: false,
    min: null,
    max: null,
    description: "Same as format=batch (kept for clients written before format existed).",
  },
] as const satisfies readonly ParamSpec[];

export interface EndpointSpec {
  path: string;
  title: string;
  description: string;
  /** The subprotocols this endpoint accepts unless `accept` says otherwise. */
  subprotocols: readonly string[];
  parameters: readonly ParamSpec[];
}

/** RFC 7230 §3.2.6 `token`, what a subprotocol name is made of, as `accept`'s pattern. */
const SUBPROTOCOL_TOKEN_PATTERN = "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$";
const SUBPROTOCOL_TOKEN_HINT = "a valid subprotocol token (RFC 7230 §3.2.6)";

/** The parameters every raw endpoint takes for subprotocol negotiation and tapping. */
export function negotiationParams(defaults: { accept: readonly string[] }) {
  return [
    {
      name: "accept",
      type: "list",
      default: defaults.accept,
      min: null,
      max: null,
      pattern: SUBPROTOCOL_TOKEN_PATTERN,
      patternHint: SUBPROTOCOL_TOKEN_HINT,
      description:
        "Comma-separated subprotocols this server will speak here, in the server's order of preference.",
    },
    {
      name: "prefer",
      type: "enum",
      options: [PreferOrder.Client, PreferOrder.Server],
      default: PreferOrder.Client,
      min: null,
      max: null,
      description:
        "Whose order wins when several offered subprotocols are accepted: the client's list (the usual choice) or the server's.",
    },
    {
      name: "require",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description:
        "When nothing offered is accepted, refuse the handshake with HTTP 400 instead of answering with no subprotocol.",
    },
    {
      name: "misbehave",
      type: "enum",
      options: ["unoffered"],
      default: null,
      min: null,
      max: null,
      description:
        "Teaching aid: answer with a subprotocol the client did not offer, so the client must fail the connection (RFC 6455 §4.1).",
    },
    OPTIONAL_TAP_PARAM,
  ] as const satisfies readonly ParamSpec[];
}

/**
 * The negotiation parameters of an endpoint that speaks one subprotocol whatever the query
 * says (/mux, /ws): listed, so that a query naming them is explained rather than called
 * unknown, but fixed at a client that must offer `protocol`. `accept=<protocol>` and
 * `require=1` change nothing and pass; anything else is refused with a reason.
 */
export function fixedSubprotocolParams(path: string, protocol: string) {
  const speaksOnly = `${path} speaks only the subprotocol ${protocol}, whatever the query says`;
  return [
    {
      name: "accept",
      type: "list",
      default: [protocol],
      min: null,
      max: null,
      pattern: SUBPROTOCOL_TOKEN_PATTERN,
      patternHint: SUBPROTOCOL_TOKEN_HINT,
      fixed: `${speaksOnly} (accept is fixed at ${protocol}).`,
      description: `Fixed at ${protocol}: this endpoint speaks nothing else.`,
    },
    {
      name: "prefer",
      type: "enum",
      options: [PreferOrder.Client, PreferOrder.Server],
      default: PreferOrder.Client,
      min: null,
      max: null,
      fixed: `${speaksOnly}, so there is no order to choose (prefer is fixed at client).`,
      description: "Fixed at client: with one subprotocol accepted there is no order to choose.",
    },
    {
      name: "require",
      type: "boolean",
      default: true,
      min: null,
      max: null,
      fixed: `${speaksOnly}, and refuses a client that does not offer it (require is fixed at 1).`,
      description: `Fixed at 1: a client that does not offer ${protocol} is refused with HTTP 400.`,
    },
    {
      name: "misbehave",
      type: "enum",
      options: ["unoffered"],
      default: null,
      min: null,
      max: null,
      fixed: `${speaksOnly}, and answers only a client that offered it (misbehave is not available here).`,
      description: `Not available here: ${path} answers only a client that offered ${protocol}.`,
    },
    OPTIONAL_TAP_PARAM,
  ] as const satisfies readonly ParamSpec[];
}

const ECHO_SUBPROTOCOLS = ["chat.v2", "chat.v1", "json"] as const;

const WINDOW_BITS_8 =
  "refused: zlib silently widens a raw-deflate window of 8 bits to 9, so the two peers would disagree about the window.";

export const ECHO_SPEC = {
  path: "/echo",
  title: "Echo",
  description:
    "Sends every message back unchanged and of the same type: text stays text, binary stays binary. No compression. A lab for subprotocol negotiation: choose what the server accepts and whose preference wins.",
  subprotocols: ECHO_SUBPROTOCOLS,
  parameters: negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
} as const satisfies EndpointSpec;

/** `/deflate`'s own parameters, which `/stream?deflate=1` takes too. */
export const DEFLATE_SPEC = {
  path: "/deflate",
  title: "Echo with permessage-deflate",
  description:
    "The same echo, with permessage-deflate (RFC 7692) offered to the client. The parameters below set what the server insists on; the response's Sec-WebSocket-Extensions says what was really agreed, and the frame log shows which messages were compressed (RSV1) and by how much.",
  subprotocols: ECHO_SUBPROTOCOLS,
  parameters: [
    {
      name: "server_no_context_takeover",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description:
        "The server compresses every message on its own, forgetting earlier ones: less memory, worse ratios for similar messages.",
    },
    {
      name: "client_no_context_takeover",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description: "Tell the client to compress every message on its own.",
    },
    {
      name: "server_max_window_bits",
      type: "integer",
      default: null,
      min: 9,
      max: 15,
      refuse: { "8": WINDOW_BITS_8 },
      description:
        "LZ77 window of the server's compressor, 2^bits bytes (9–15). Lower saves memory and finds fewer repeats. Not set: 15, or what the client asks for.",
    },
    {
      name: "client_max_window_bits",
      type: "integer",
      default: null,
      min: 9,
      max: 15,
      refuse: { "8": WINDOW_BITS_8 },
      description:
        "Limit the client's compressor window (only when the client offered client_max_window_bits, as browsers do).",
    },
    {
      name: "threshold",
      type: "integer",
      min: 0,
      max: 1024 * 1024,
      default: 0,
      description:
        "Messages the server sends shorter than this many bytes go uncompressed (RSV1 clear). Only the server honours it: a browser has no such setting and compresses its own messages, short ones too.",
    },
    {
      name: "level",
      type: "integer",
      min: 0,
      max: 9,
      default: 6,
      description: "zlib compression level: 0 stores without compressing, 9 tries hardest.",
    },
    ...negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
  ],
} as const satisfies EndpointSpec;

export const STREAM_SPEC = {
  path: "/stream",
  title: "Stream generator",
  description:
    "The server pushes count messages of size bytes at rate per second, then closes with 1000. The load generator for the logs and for compression demos; it slows down rather than queue when the client reads slowly.",
  subprotocols: ECHO_SUBPROTOCOLS,
  parameters: [
    {
      name: "count",
      type: "integer",
      min: 1,
      max: 1_000_000,
      default: 100,
      description: "How many messages to send.",
    },
    {
      name: "size",
      type: "integer",
      min: 0,
      max: 1024 * 1024,
      default: 64,
      description: "Bytes per message (JSON messages are at least their envelope).",
    },
    {
      name: "rate",
      type: "integer",
      min: 1,
      max: 100_000,
      default: 10,
      description: "Messages per second.",
    },
    {
      name: "kind",
      type: "enum",
      options: ["text", "json", "binary"],
      default: "text",
      min: null,
      max: null,
      description: "text frames, JSON text frames ({seq, at, data}) or binary frames.",
    },
    {
      name: "compressible",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description: "Repetitive payloads that deflate well, instead of random ones that do not.",
    },
    {
      name: "deflate",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description: "Offer permessage-deflate, to compare wire bytes with message bytes.",
    },
    ...negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
  ],
} as const satisfies EndpointSpec;

export const SEED_WS_SPEC = {
  path: "/ws",
  title: "Chapter example (/ws)",
  description:
    "The chapter's own server, verbatim: it speaks only the subprotocol my-subprotocol, refuses the handshake otherwise, and answers each text message with 'Received: <text>'.",
  subprotocols: ["my-subprotocol"],
  parameters: fixedSubprotocolParams("/ws", "my-subprotocol"),
} as const satisfies EndpointSpec;

/** Longest fault delay any `/chaos` timer takes: a minute, long enough to watch. */
const CHAOS_MAX_MS = 60_000;

/**
 * Close codes between 1000 and 4999 a close frame may not carry (RFC 6455 §7.4.1–2, the IANA
 * registry): sending one would make the peer fail the connection with 1002 instead of showing
 * the code. Codes below 1000 are not used at all (§7.4.2): `close`'s `min` keeps them out.
 */
const CLOSE_CODE_GAPS = [
  {
    min: 1004,
    max: 1004,
    reason: "1004 is reserved with no meaning and may not be sent in a close frame.",
  },
  {
    min: 1005,
    max: 1005,
    reason:
      "1005 (no status received) is what an API reports when a close frame carried no code; it may not be sent on the wire.",
  },
  {
    min: 1006,
    max: 1006,
    reason:
      "1006 (abnormal closure) is what an API reports when the connection ended without a close frame; it may not be sent on the wire. Use drop=MS to make the browser see it.",
  },
  {
    min: 1015,
    max: 1015,
    reason:
      "1015 is what an API reports when the TLS handshake failed; it may not be sent on the wire.",
  },
  {
    min: 1016,
    max: 2999,
    reason:
      "1016–2999 are reserved for future versions of the protocol and its extensions; a peer fails the connection with 1002 on one. Use 3000–3999 (registered) or 4000–4999 (private).",
  },
] as const;

export const CHAOS_SPEC = {
  path: "/chaos",
  title: "Faults on demand (/chaos)",
  description:
    "An echo that breaks on purpose, to see what each side experiences: a clean close with a chosen code, a dropped TCP connection (1006), late or fragmented echoes, server pings, a message above a size limit, a slow or refused handshake. Without parameters it is a plain echo.",
  subprotocols: ECHO_SUBPROTOCOLS,
  parameters: [
    {
      name: "close",
      type: "integer",
      default: null,
      min: 1000,
      max: 4999,
      refuseRanges: CLOSE_CODE_GAPS,
      description:
        "Close cleanly with this code after `after` ms: 1000–1003, 1007–1014 or 3000–4999. Inside 1000–4999 these are refused, since they may not cross the wire: 1004–1006, 1015 and 1016–2999.",
    },
    {
      name: "reason",
      type: "string",
      default: null,
      min: null,
      max: null,
      maxBytes: 123,
      description:
        "The close reason with `close` (at most 123 bytes of UTF-8: a close frame's payload is at most 125 bytes, 2 of them the code), or the refusal's text with `refuse`.",
    },
    {
      name: "after",
      type: "integer",
      default: null,
      min: 0,
      max: CHAOS_MAX_MS,
      description: "With `close`: wait this many ms after the handshake (default 0).",
    },
    {
      name: "drop",
      type: "integer",
      default: null,
      min: 0,
      max: CHAOS_MAX_MS,
      description:
        "Reset the TCP connection this many ms after the handshake, with no close frame: the browser reports 1006.",
    },
    {
      name: "delay",
      type: "integer",
      default: null,
      min: 1,
      max: 10_000,
      description: "Echo each message this many ms late (order kept).",
    },
    {
      name: "fragment",
      type: "integer",
      default: null,
      min: 1,
      max: 1024,
      description:
        "Echo each message split into this many frames: one text or binary frame with FIN clear, continuation frames, the last with FIN set. Text may split inside a character: only the whole message must be UTF-8.",
    },
    {
      name: "ping",
      type: "integer",
      default: null,
      min: 20,
      max: CHAOS_MAX_MS,
      description:
        "Ping every this many ms, with the ping's number and time as payload; the browser answers each with a pong of the same payload (visible in the frame log, never to the page's script).",
    },
    {
      name: "oversize",
      type: "boolean",
      default: false,
      min: null,
      max: null,
      description:
        "Send one binary message one byte above this server's own message limit (1 MiB + 1 by default). A browser takes it: browsers set no message limit a page could see, so the limit that fails is the receiver's own (a `ws` client with a smaller maxPayload closes with 1009, and so does this server if the message is sent back).",
    },
    {
      name: "handshake_delay",
      type: "integer",
      default: null,
      min: 1,
      max: 10_000,
      description: "Answer the handshake (101) this many ms late: CONNECTING lasts that long.",
    },
    {
      name: "refuse",
      type: "integer",
      default: null,
      min: 400,
      max: 599,
      description:
        "Refuse the handshake with this HTTP status (400–599) and `reason` as its text: the browser reports only 1006, the frame inspector shows the status.",
    },
    ...negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
  ],
} as const satisfies EndpointSpec;

export const MUX_SPEC = {
  path: "/mux",
  title: "Multiplexing (mux.v1)",
  description:
    "Many logical channels over one WebSocket, with the subprotocol mux.v1: JSON envelopes in text frames, binary frames led by a 2-byte channel id. Services: echo, clock, chat (rooms shared by every connection to this server) and counter. The handshake is refused unless the client offers mux.v1.",
  subprotocols: ["mux.v1"],
  parameters: fixedSubprotocolParams("/mux", "mux.v1"),
} as const satisfies EndpointSpec;

/** Every raw endpoint, in the order the page lists them (`GET /api/endpoints`). */
export const ENDPOINTS: readonly EndpointSpec[] = [
  ECHO_SPEC,
  DEFLATE_SPEC,
  STREAM_SPEC,
  SEED_WS_SPEC,
  CHAOS_SPEC,
  MUX_SPEC,
];

export function findEndpoint(path: string): EndpointSpec | undefined {
  return ENDPOINTS.find((endpoint) => endpoint.path === path);
}

/** The negotiation policy a parsed query asks for. */
export function policyFromParams(values: ParamValues): SubprotocolPolicy {
  const accept = values.accept;
  return {
    accept: Array.isArray(accept) ? accept : [],
    prefer: values.prefer === PreferOrder.Server ? PreferOrder.Server : PreferOrder.Client,
    require: values.require === true,
    misbehaveUnoffered: values.misbehave === "unoffered",
  };
}
