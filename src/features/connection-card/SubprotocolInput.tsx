import { useQuery } from "@tanstack/react-query";
import { parseSubprotocolList } from "../../protocol/subprotocol.ts";
import { useCardField, useConnections } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { endpointsQuery } from "../endpoints/endpoints-query.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { endpointForUrl } from "./endpoint-url.ts";

/** The ordered list of subprotocols to offer, with the endpoint's accepted ones one click away. */
export function SubprotocolInput({ id }: { id: string }) {
  const text = useCardField(id, "subprotocolsText");
  const url = useCardField(id, "url");
  const patchCard = useConnections((state) => state.patchCard);
  const { data: endpoints } = useQuery(endpointsQuery);
  const endpoint = endpointForUrl(url, endpoints);
  const offered = parseSubprotocolList(text);
  const suggestions = [...(endpoint?.subprotocols ?? []), "mqtt"].filter(
    (name) => !offered.includes(name),
  );

  return (
    <Panel
      cardId={id}
      panelKey="subprotocols"
      title="Subprotocols"
      headingId={`${id}-subprotocols-title`}
    >
      <Lesson>
        The application protocols you are willing to speak, most preferred first. The browser sends
        them as one Sec-WebSocket-Protocol header and the server may choose exactly one (RFC 6455
        §1.9).
      </Lesson>
      <input
        id={`${id}-subprotocols`}
        // Labelled by the panel's title, which is the panel's collapse button.
        aria-labelledby={`${id}-subprotocols-title`}
        type="text"
        spellCheck={false}
        placeholder="e.g. chat.v2, chat.v1 (empty: offer none)"
        value={text}
        onChange={(event) => patchCard(id, { subprotocolsText: event.target.value })}
      />
      {offered.length > 0 && (
        <ol className="chips" aria-label="Offer order">
          {offered.map((name, index) => (
            <li key={name} className="chip">
              <span className="chip-rank">{index + 1}</span>
              {name}
            </li>
          ))}
        </ol>
      )}
      {suggestions.length > 0 && (
        <p className="suggestions">
          Add:{" "}
          {suggestions.map((name) => (
            <button
              key={name}
              type="button"
              className="ghost small"
              onClick={() => patchCard(id, { subprotocolsText: [...offered, name].join(", ") })}
            >
              + {name}
            </button>
          ))}
        </p>
      )}
    </Panel>
  );
}
