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

/** The `tap` parameter: optional on the raw endpoints, required by `/inspect`. */
function tapParam(required: boolean): ParamSpec {
  return {
    name: "tap",
    type: "string",
    required,
    pattern: TAP_ID_PATTERN,
    patternHint: "8–64 characters of A–Z, a–z, 0–9, _ and -",
    description: required
      ? "The tap id of the connection to inspect."
      : "Record this connection's handshake and frames for the frame inspector (/inspect?tap=ID).",
  };
}

/** `/inspect`'s query. Not in ENDPOINTS: it inspects the others rather than being a lab. */
export const INSPECT_PARAMS: readonly ParamSpec[] = [
  tapParam(true),
  {
    name: "format",
    type: "enum",
    options: ["json", "batch", "binary"],
    default: "json",
    description:
      "json: one JSON event per text message. batch: JSON arrays of events. binary: frames as compact binary columnar batches, every other event as JSON text (what the page uses to keep up at thousands of frames a second).",
  },
  {
    name: "batch",
    type: "boolean",
    default: false,
    description: "Same as format=batch (kept for clients written before format existed).",
  },
];

export interface EndpointSpec {
  path: string;
  title: string;
  description: string;
  /** The subprotocols this endpoint accepts unless `accept` says otherwise. */
  subprotocols: readonly string[];
  parameters: readonly ParamSpec[];
}

/** The parameters every raw endpoint takes for subprotocol negotiation and tapping. */
export function negotiationParams(defaults: {
  accept: readonly string[];
  require?: boolean;
}): ParamSpec[] {
  return [
    {
      name: "accept",
      type: "list",
      default: defaults.accept,
      pattern: "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$",
      patternHint: "a valid subprotocol token (RFC 7230 §3.2.6)",
      description:
        "Comma-separated subprotocols this server will speak here, in the server's order of preference.",
    },
    {
      name: "prefer",
      type: "enum",
      options: [PreferOrder.Client, PreferOrder.Server],
      default: PreferOrder.Client,
      description:
        "Whose order wins when several offered subprotocols are accepted: the client's list (the usual choice) or the server's.",
    },
    {
      name: "require",
      type: "boolean",
      default: defaults.require ?? false,
      description:
        "When nothing offered is accepted, refuse the handshake with HTTP 400 instead of answering with no subprotocol.",
    },
    {
      name: "misbehave",
      type: "enum",
      options: ["unoffered"],
      description:
        "Teaching aid: answer with a subprotocol the client did not offer, so the client must fail the connection (RFC 6455 §4.1).",
    },
    tapParam(false),
  ];
}

const ECHO_SUBPROTOCOLS = ["chat.v2", "chat.v1", "json"];

const WINDOW_BITS_8 =
  "refused: zlib silently widens a raw-deflate window of 8 bits to 9, so the two peers would disagree about the window.";

export const ENDPOINTS: readonly EndpointSpec[] = [
  {
    path: "/echo",
    title: "Echo",
    description:
      "Sends every message back unchanged and of the same type: text stays text, binary stays binary. No compression. A lab for subprotocol negotiation: choose what the server accepts and whose preference wins.",
    subprotocols: ECHO_SUBPROTOCOLS,
    parameters: negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
  },
  {
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
        description:
          "The server compresses every message on its own, forgetting earlier ones: less memory, worse ratios for similar messages.",
      },
      {
        name: "client_no_context_takeover",
        type: "boolean",
        default: false,
        description: "Tell the client to compress every message on its own.",
      },
      {
        name: "server_max_window_bits",
        type: "integer",
        min: 9,
        max: 15,
        refuse: { "8": WINDOW_BITS_8 },
        description:
          "LZ77 window of the server's compressor, 2^bits bytes (9–15). Lower saves memory and finds fewer repeats. Not set: 15, or what the client asks for.",
      },
      {
        name: "client_max_window_bits",
        type: "integer",
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
        description: "Messages shorter than this many bytes are sent uncompressed (RSV1 clear).",
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
  },
  {
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
        description: "text frames, JSON text frames ({seq, at, data}) or binary frames.",
      },
      {
        name: "compressible",
        type: "boolean",
        default: false,
        description: "Repetitive payloads that deflate well, instead of random ones that do not.",
      },
      {
        name: "deflate",
        type: "boolean",
        default: false,
        description: "Offer permessage-deflate, to compare wire bytes with message bytes.",
      },
      ...negotiationParams({ accept: ECHO_SUBPROTOCOLS }),
    ],
  },
  {
    path: "/ws",
    title: "Chapter example (/ws)",
    description:
      "The chapter's own server, verbatim: it speaks only the subprotocol my-subprotocol, refuses the handshake otherwise, and answers each text message with 'Received: <text>'.",
    subprotocols: ["my-subprotocol"],
    parameters: negotiationParams({ accept: ["my-subprotocol"], require: true }),
  },
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
