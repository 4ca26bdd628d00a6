import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { splitCommaList } from "../../protocol/comma-list.ts";
import {
  formatParams,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
  parseParams,
} from "../../protocol/endpoint-params.ts";
import { defaultSocketUrl, useCardField, useConnections } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { endpointsQuery } from "../endpoints/endpoints-query.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { endpointForUrl, safeUrl, withQuery } from "./endpoint-url.ts";

/** Parameters the page sets by itself rather than asking the person. */
const HIDDEN_PARAMS = new Set(["tap"]);

/** The endpoint picker and that endpoint's parameters, both kept in step with the URL. */
export function EndpointForm({ id }: { id: string }) {
  const url = useCardField(id, "url");
  const patchCard = useConnections((state) => state.patchCard);
  const { data: endpoints, error } = useQuery(endpointsQuery);
  const endpoint = endpointForUrl(url, endpoints);
  const query = safeUrl(url)?.searchParams ?? new URLSearchParams();
  const parsed = endpoint ? parseParams(endpoint.parameters, query) : undefined;
  const values: ParamValues = parsed?.ok ? parsed.values : {};

  const setValue = (name: string, value: ParamValue | undefined) => {
    if (!endpoint) return;
    const next = { ...values, [name]: value };
    // Keep the page's own hidden parameters (the tap id) as they were.
    const hidden = [...query].filter(([key]) => HIDDEN_PARAMS.has(key));
    const search = formatParams(endpoint.parameters, next);
    for (const [key, raw] of hidden) search.set(key, raw);
    patchCard(id, { url: withQuery(url, search) });
  };

  return (
    <Panel cardId={id} panelKey="endpoint" title="Endpoint">
      <Lesson>
        The companion server offers one endpoint per feature, all on this page's port. Each
        parameter below becomes part of the URL's query string, which the server reads during the
        handshake.
      </Lesson>
      <div className="field">
        <label htmlFor={`${id}-endpoint`}>Endpoint</label>
        <select
          id={`${id}-endpoint`}
          value={endpoint?.path ?? ""}
          onChange={(event) => {
            const path = event.target.value;
            if (!path) return;
            // An endpoint that speaks only one subprotocol (/ws, /mux) gets it offered, unless
            // the person already typed what to offer: otherwise Connect would only be refused.
            const chosen = endpoints?.find((candidate) => candidate.path === path);
            const required = chosen?.parameters.find(
              (param) => param.name === "accept" && param.fixed,
            );
            const speaks = Array.isArray(required?.default) ? required.default.join(", ") : "";
            const typed = useConnections.getState().cards[id]?.subprotocolsText.trim() ?? "";
            patchCard(id, {
              url: defaultSocketUrl(path),
              ...(speaks !== "" && typed === "" ? { subprotocolsText: speaks } : {}),
            });
          }}
        >
          {!endpoint && <option value="">Another server (custom URL)</option>}
          {endpoints?.map((candidate) => (
            <option key={candidate.path} value={candidate.path}>
              {candidate.path} — {candidate.title}
            </option>
          ))}
        </select>
      </div>
      {error && <p className="error">Could not load the endpoint list: {error.message}</p>}
      {endpoint && <p className="endpoint-description">{endpoint.description}</p>}
      {parsed && !parsed.ok && (
        <p className="error" role="alert">
          The server will refuse this URL with HTTP 400: {parsed.reason}
        </p>
      )}
      {endpoint && parsed?.ok && (
        <details className="params">
          <summary>Parameters</summary>
          <div className="param-grid">
            {endpoint.parameters
              .filter((spec) => !HIDDEN_PARAMS.has(spec.name))
              .map((spec) => (
                <ParamField
                  key={spec.name}
                  id={`${id}-param-${spec.name}`}
                  spec={spec}
                  value={values[spec.name]}
                  onChange={(value) => setValue(spec.name, value)}
                />
              ))}
          </div>
        </details>
      )}
    </Panel>
  );
}

interface ParamFieldProps {
  id: string;
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange: (value: ParamValue | undefined) => void;
}

function ParamField({ id, spec, value, onChange }: ParamFieldProps) {
  const control = <ParamControl id={id} spec={spec} value={value} onChange={onChange} />;
  const label = <label htmlFor={id}>{spec.name}</label>;
  return (
    <div className={spec.type === "boolean" ? "param param-boolean" : "param"}>
      {/* A checkbox reads best before its name; other inputs after it. */}
      {spec.type === "boolean" ? (
        <>
          {control}
          {label}
        </>
      ) : (
        <>
          {label}
          {control}
        </>
      )}
      <small id={`${id}-help`}>{spec.description}</small>
    </div>
  );
}

/** The input for one parameter, by its type. */
function ParamControl({ id, spec, value, onChange }: ParamFieldProps) {
  // A parameter fixed at its default on this endpoint is shown, not offered for editing.
  const common = { id, "aria-describedby": `${id}-help`, disabled: spec.fixed !== undefined };
  switch (spec.type) {
    case "boolean":
      return (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
        />
      );
    case "enum":
      return (
        <select
          {...common}
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(event.target.value || undefined)}
        >
          {spec.default == null && <option value="">(not set)</option>}
          {spec.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case "integer":
      return (
        <input
          {...common}
          type="number"
          min={spec.min ?? undefined}
          max={spec.max ?? undefined}
          value={typeof value === "number" ? value : ""}
          onChange={(event) =>
            onChange(event.target.value === "" ? undefined : Number(event.target.value))
          }
        />
      );
    case "list":
      return (
        <ListInput {...common} value={Array.isArray(value) ? value : []} onChange={onChange} />
      );
    case "string":
      return (
        <input
          {...common}
          type="text"
          spellCheck={false}
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(event.target.value || undefined)}
        />
      );
  }
}

/**
 * A comma-separated list that keeps what is being typed ("a, ") while publishing the parsed
 * items, and follows the value when it changes from elsewhere (the URL was edited).
 */
function ListInput({
  value,
  onChange,
  ...rest
}: {
  id: string;
  "aria-describedby": string;
  value: readonly string[];
  onChange: (items: string[]) => void;
}) {
  const [text, setText] = useState(value.join(", "));
  const joined = value.join(",");
  useEffect(() => {
    setText((current) =>
      splitCommaList(current).join(",") === joined ? current : joined.replaceAll(",", ", "),
    );
  }, [joined]);
  return (
    <input
      {...rest}
      type="text"
      spellCheck={false}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onChange(splitCommaList(event.target.value));
      }}
    />
  );
}
