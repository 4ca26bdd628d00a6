/**
 * The raw WebSocket endpoints the companion server offers, with their parameters. The server
 * publishes this as `GET /api/endpoints`; the page builds its endpoint picker and forms from
 * that response.
 */
import type { ParamSpec, ParamValues } from "./endpoint-params.ts";
import { PreferOrder, type SubprotocolPolicy } from "./subprotocol.ts";

/** `tap=ID`: record this connection for the frame inspector. */
export const TAP_ID_PATTERN = "^[A-Za-z0-9_-]{8,64}$";

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
    {
      name: "tap",
      type: "string",
      pattern: TAP_ID_PATTERN,
      patternHint: "8–64 characters of A–Z, a–z, 0–9, _ and -",
      description:
        "Record this connection's handshake and frames for the frame inspector (/inspect?tap=ID).",
    },
  ];
}

export const ENDPOINTS: readonly EndpointSpec[] = [
  {
    path: "/echo",
    title: "Echo",
    description:
      "Sends every message back unchanged and of the same type: text stays text, binary stays binary. No compression. A lab for subprotocol negotiation: choose what the server accepts and whose preference wins.",
    subprotocols: ["chat.v2", "chat.v1", "json"],
    parameters: negotiationParams({ accept: ["chat.v2", "chat.v1", "json"] }),
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
