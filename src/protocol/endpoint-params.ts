import { splitCommaList } from "./comma-list.ts";

/**
 * Query parameters of the raw WebSocket endpoints: one description serves the server (which
 * validates every handshake against it), `/api/endpoints` (which publishes it) and the page
 * (which builds its forms from it and checks them before connecting).
 */

export type ParamType = "integer" | "boolean" | "enum" | "list" | "string";

/**
 * One query parameter. `name`, `type`, `default`, `min`, `max` and `description` are always
 * present, so that `GET /api/endpoints` gives every parameter the same six keys (SPEC, REST);
 * `null` where a default or a bound does not apply.
 */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Value used when the parameter is absent (as the parsed type); null: it stays absent. */
  default: ParamValue | null;
  /** For `integer`: the smallest value accepted; null for the other types. */
  min: number | null;
  /** For `integer`: the largest value accepted; null for the other types. */
  max: number | null;
  description: string;
  /** The query must give it (a 400 names it otherwise). */
  required?: boolean;
  /** Allowed values for `enum`. */
  options?: readonly string[];
  /** For `string`: a pattern the value must match, described in `patternHint`. */
  pattern?: string;
  patternHint?: string;
  /** Values refused with a specific explanation (e.g. a window of 8 bits). */
  refuse?: Readonly<Record<string, string>>;
  /** For `integer`: ranges inside min–max refused with a specific explanation. */
  refuseRanges?: readonly { readonly min: number; readonly max: number; readonly reason: string }[];
  /** For `string`: the most UTF-8 bytes the value may take (a close reason: 123). */
  maxBytes?: number;
  /**
   * The parameter is fixed at its default here (with no default: it may not be given at all);
   * any other value is refused with this reason. An endpoint that speaks one subprotocol
   * whatever the query says (/mux, /ws) lists its negotiation parameters this way.
   */
  fixed?: string;
}

export type ParamValue = number | boolean | string | readonly string[];
export type ParamValues = Record<string, ParamValue | undefined>;

/** The value a parameter of type `T` parses to (an `enum` to the union of its options). */
type ValueOfType<T extends ParamType, S extends ParamSpec> = T extends "integer"
  ? number
  : T extends "boolean"
    ? boolean
    : T extends "list"
      ? readonly string[]
      : T extends "enum"
        ? S["options"] extends readonly (infer Option extends string)[]
          ? Option
          : string
        : string;

/** A parameter that is always present after parsing: required, or with a default. */
type AlwaysPresent<S extends ParamSpec> = S extends { required: true }
  ? true
  : S extends { default: ParamValue }
    ? true
    : false;

/**
 * The parsed query of a list of parameter specs declared `as const`: each name with the type
 * its spec parses to, optional unless the spec is required or has a default. Handlers read
 * `params.count` as a number instead of casting `Number(params.count)`.
 */
export type ParamValuesOf<Specs extends readonly ParamSpec[]> = {
  [S in Specs[number] as AlwaysPresent<S> extends true ? S["name"] : never]: ValueOfType<
    S["type"],
    S
  >;
} & {
  [S in Specs[number] as AlwaysPresent<S> extends true ? never : S["name"]]?: ValueOfType<
    S["type"],
    S
  >;
};

export type TypedParseResult<Specs extends readonly ParamSpec[]> =
  | { ok: true; values: ParamValuesOf<Specs> }
  | { ok: false; reason: string };

/**
 * `parseParams` with the result typed from the specs. The one place the parsed record is
 * narrowed: `parseParams` checks every value against the very specs the type is derived from.
 */
export function parseTypedParams<const Specs extends readonly ParamSpec[]>(
  specs: Specs,
  query: URLSearchParams,
): TypedParseResult<Specs> {
  return parseParams(specs, query) as TypedParseResult<Specs>;
}

export type ParseResult = { ok: true; values: ParamValues } | { ok: false; reason: string };

const TRUE_WORDS = new Set(["", "1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off"]);

/**
 * Validates a query string against the parameter specs. Unknown and repeated parameters are
 * refused rather than ignored, so a typo (`requre=1`) is reported instead of silently doing
 * nothing; the reason is one line, fit for an HTTP 400 body.
 */
export function parseParams(specs: readonly ParamSpec[], query: URLSearchParams): ParseResult {
  const values: ParamValues = {};
  const seen = new Set<string>();
  for (const [name, raw] of query) {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) {
      const known = specs.map((candidate) => candidate.name).join(", ");
      return { ok: false, reason: `Unknown parameter '${name}' (this endpoint takes: ${known}).` };
    }
    if (seen.has(name))
      return { ok: false, reason: `Parameter '${name}' is given more than once.` };
    seen.add(name);
    const parsed = parseValue(spec, raw);
    if (!parsed.ok) return parsed;
    if (spec.fixed !== undefined && !sameValue(parsed.value, spec.default)) {
      return { ok: false, reason: `${name}=${raw}: ${spec.fixed}` };
    }
    values[name] = parsed.value;
  }
  for (const spec of specs) {
    if (values[spec.name] !== undefined) continue;
    if (spec.required) {
      return { ok: false, reason: `Parameter '${spec.name}' is required: ${spec.description}` };
    }
    if (spec.default !== null) values[spec.name] = spec.default;
  }
  return { ok: true, values };
}

type ValueResult = { ok: true; value: ParamValue } | { ok: false; reason: string };

function parseValue(spec: ParamSpec, raw: string): ValueResult {
  const refusal = spec.refuse?.[raw];
  if (refusal !== undefined) return { ok: false, reason: `${spec.name}=${raw}: ${refusal}` };
  switch (spec.type) {
    case "boolean": {
      const word = raw.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, reason: `${spec.name} must be 1 or 0 (got '${raw}').` };
    }
    case "integer": {
      if (!/^-?\d+$/.test(raw)) {
        return { ok: false, reason: `${spec.name} must be a whole number (got '${raw}').` };
      }
      const value = Number(raw);
      if ((spec.min !== null && value < spec.min) || (spec.max !== null && value > spec.max)) {
        return {
          ok: false,
          reason: `${spec.name} must be between ${spec.min ?? "-∞"} and ${spec.max ?? "∞"} (got ${raw}).`,
        };
      }
      const range = spec.refuseRanges?.find((gap) => value >= gap.min && value <= gap.max);
      if (range) return { ok: false, reason: `${spec.name}=${raw}: ${range.reason}` };
      return { ok: true, value };
    }
    case "enum": {
      const options = spec.options ?? [];
      if (!options.includes(raw)) {
        return {
          ok: false,
          reason: `${spec.name} must be one of ${options.join(", ")} (got '${raw}').`,
        };
      }
      return { ok: true, value: raw };
    }
    case "list": {
      const items = splitCommaList(raw);
      if (spec.pattern) {
        const pattern = new RegExp(spec.pattern);
        const bad = items.find((item) => !pattern.test(item));
        if (bad !== undefined) {
          return {
            ok: false,
            reason: `${spec.name}: '${bad}' is not ${spec.patternHint ?? `matching ${spec.pattern}`}.`,
          };
        }
      }
      return { ok: true, value: items };
    }
    case "string": {
      if (spec.pattern && !new RegExp(spec.pattern).test(raw)) {
        return {
          ok: false,
          reason: `${spec.name} must be ${spec.patternHint ?? `matching ${spec.pattern}`} (got '${raw}').`,
        };
      }
      const bytes = spec.maxBytes === undefined ? 0 : new TextEncoder().encode(raw).length;
      if (spec.maxBytes !== undefined && bytes > spec.maxBytes) {
        return {
          ok: false,
          reason: `${spec.name} must be at most ${spec.maxBytes} bytes of UTF-8 (got ${bytes}).`,
        };
      }
      return { ok: true, value: raw };
    }
  }
}

/** Serialises form values back into a query string, leaving defaults out. */
export function formatParams(specs: readonly ParamSpec[], values: ParamValues): URLSearchParams {
  const query = new URLSearchParams();
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined || sameValue(value, spec.default)) continue;
    if (typeof value === "boolean") query.set(spec.name, value ? "1" : "0");
    else if (Array.isArray(value)) query.set(spec.name, value.join(","));
    else query.set(spec.name, String(value));
  }
  return query;
}

function sameValue(a: ParamValue, b: ParamValue | null): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => item === b[index]);
  }
  return a === b;
}
