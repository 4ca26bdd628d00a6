import { useConnections } from "../../stores/connections-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import { type MapCard, mapConnections } from "./connection-map-model.ts";
import "./connection-map.css";

/**
 * Page level: the TCP connections the server saw and the WebSockets riding on each, from the
 * cards' recorded handshakes (`transport`, `connection`, `stream`).
 */
export function ConnectionMap() {
  // One string per change that matters, so typing in a card does not redraw the map.
  const key = useConnections((state) =>
    JSON.stringify(
      state.order.map((id, index): MapCard => {
        const card = state.cards[id];
        return {
          number: index + 1,
          readyState: card?.readyState ?? "CLOSED",
          handshake: card?.handshake ?? null,
        };
      }),
    ),
  );
  const connections = mapConnections(JSON.parse(key) as MapCard[]);

  return (
    <Panel
      cardId="page"
      panelKey="connection-map"
      title="TCP connections"
      headingLevel={2}
      className="connection-map"
      label="Connection map"
    >
      <Lesson>
        Over HTTP/1.1 each WebSocket has its own TCP connection, with its own TCP and TLS
        handshakes. Over HTTP/2 (RFC 8441) the browser opens each WebSocket as a stream of the
        page's own connection: fewer connections and handshakes, but one lost packet still stalls
        every stream on it, because TCP delivers bytes in order (head-of-line blocking).
      </Lesson>
      <div data-testid="connection-map">
        {connections.length === 0 ? (
          <p className="hint">
            No WebSocket recorded yet: connect a card to the companion server to see which TCP
            connection it rides on.
          </p>
        ) : (
          <ul className="tcp-connections">
            {connections.map((connection) => (
              <li
                key={`${connection.transport}:${connection.id}`}
                className={`tcp-connection ${connection.transport}`}
                data-testid="tcp-connection"
                aria-label={`TCP connection ${connection.id}`}
              >
                <div className="tcp-label">
                  <span className="mono">TCP {connection.id}</span>{" "}
                  <span className="transport">
                    {connection.transport === "h2" ? "HTTP/2" : "HTTP/1.1"}
                  </span>{" "}
                  <span className="count">
                    {connection.webSockets.length === 1
                      ? "1 WebSocket"
                      : `${connection.webSockets.length} WebSockets`}
                  </span>
                </div>
                <ul className="map-websockets">
                  {connection.webSockets.map((ws) => (
                    <li
                      key={`${ws.card}-${ws.stream ?? ""}`}
                      data-testid="map-websocket"
                      data-stream={ws.stream}
                    >
                      Card {ws.card} · <span className="mono">{ws.path}</span>
                      {ws.stream !== undefined && (
                        <>
                          {" "}
                          · stream <span className="mono">{ws.stream}</span>
                        </>
                      )}{" "}
                      · {ws.readyState}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Panel>
  );
}
