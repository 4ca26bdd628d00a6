import { useEffect, useState } from "react";
import { MUX_SERVICES } from "../../protocol/mux-services.ts";
import { useCardField } from "../../stores/connections-store.ts";
import { takePlannedLanes, useLane, useLaneOrder, useMuxErrors } from "../../stores/mux-store.ts";
import { Panel } from "../../ui/Panel.tsx";
import { Lesson } from "../lessons/Lesson.tsx";
import {
  bindCardMux,
  canReachCardSockets,
  closeLane,
  openLane,
  sendBigOnLane,
  sendOnLane,
} from "./card-mux.ts";
import { MuxComparison } from "./MuxComparison.tsx";
import "./mux.css";

/** Whether a card's URL is the companion server's `/mux` endpoint. */
export function isMuxUrl(url: string): boolean {
  try {
    return new URL(url).pathname === "/mux";
  } catch {
    return false;
  }
}

/**
 * Lanes for a card connected to `/mux`: open channels (service and params), one lane per
 * channel with its messages, composer and close button, and the head-of-line demo. Renders
 * nothing unless the card's URL is `/mux`.
 */
export function MuxPanel({ id }: { id: string }) {
  const url = useCardField(id, "url");
  if (!isMuxUrl(url)) return null;
  return <MuxLanes id={id} />;
}

function MuxLanes({ id }: { id: string }) {
  useEffect(() => {
    const release = bindCardMux(id);
    // Channels a scenario asked for open once the binding outlives this task (StrictMode runs
    // an effect, its cleanup and the effect again at once: the first binding is let go).
    const timer = setTimeout(() => {
      for (const lane of takePlannedLanes(id)) openLane(id, lane.service, lane.params);
    }, 0);
    return () => {
      clearTimeout(timer);
      release();
    };
  }, [id]);
  const order = useLaneOrder(id);
  const errors = useMuxErrors(id);
  const reachable = canReachCardSockets();

  return (
    <Panel
      cardId={id}
      panelKey="mux"
      title="Channels (mux.v1)"
      className="mux-panel"
      headingId={`${id}-mux-title`}
      labelled
    >
      <Lesson>
        WebSocket has no multiplexing of its own: this subprotocol adds it by putting a channel id
        on every message, so one connection carries many conversations. All channels still share one
        TCP connection and one ordered byte stream, so a large message on one channel delays every
        other channel behind it (head-of-line blocking): try “Transmit 1 MiB on this channel” on an
        echo lane next to a clock lane. RFC 8441 (WebSocket over HTTP/2 streams) is the other road;
        Socket.IO namespaces multiplex the same way this protocol does, and TCP still orders every
        byte.
      </Lesson>
      {!reachable && (
        <p className="hint" role="alert">
          The mux lanes cannot reach this card's socket: no socket source is registered
          (provideCardSockets in stores/mux-store.ts).
        </p>
      )}
      <OpenChannelForm id={id} />
      {errors.length > 0 && (
        <ul className="mux-errors" data-testid="mux-errors" aria-label="Errors about no channel">
          {errors.map((error) => (
            <li key={error.seq}>⚠ {error.text}</li>
          ))}
        </ul>
      )}
      <div className="mux-lanes">
        {order.map((ch) => (
          <LaneView key={ch} id={id} ch={ch} />
        ))}
      </div>
      <MuxComparison id={id} />
    </Panel>
  );
}

function OpenChannelForm({ id }: { id: string }) {
  const [serviceName, setServiceName] = useState<string>(MUX_SERVICES[0].name);
  const [values, setValues] = useState<Record<string, string>>({});
  const service = MUX_SERVICES.find((candidate) => candidate.name === serviceName);
  const params = service?.params ?? [];

  return (
    <form
      className="mux-open"
      onSubmit={(event) => {
        event.preventDefault();
        const chosen: Record<string, unknown> = {};
        for (const param of params) {
          const typed = values[`${serviceName}.${param.name}`];
          if (typed === undefined || typed === "") continue;
          // The server checks the values: a bad one comes back as an error in the lane.
          chosen[param.name] = param.type === "integer" ? Number(typed) : typed;
        }
        openLane(id, serviceName, chosen);
      }}
    >
      <label>
        Service
        <select value={serviceName} onChange={(event) => setServiceName(event.target.value)}>
          {MUX_SERVICES.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
      {params.map((param) => {
        const key = `${serviceName}.${param.name}`;
        return (
          <label key={key} title={param.description}>
            {param.name}
            <input
              type={param.type === "integer" ? "number" : "text"}
              placeholder={String(param.default)}
              value={values[key] ?? ""}
              onChange={(event) => setValues({ ...values, [key]: event.target.value })}
            />
          </label>
        );
      })}
      <button type="submit" className="primary">
        Open channel
      </button>
      {service && <p className="hint">{service.description}</p>}
    </form>
  );
}

function LaneView({ id, ch }: { id: string; ch: number }) {
  const lane = useLane(id, ch);
  const [text, setText] = useState("");
  if (!lane) return null;
  const takesData = lane.service === "echo" || lane.service === "chat";
  const live = lane.state !== "closed";
  const params = Object.keys(lane.params).length > 0 ? ` ${JSON.stringify(lane.params)}` : "";

  return (
    <section
      className={`mux-lane lane-hue-${ch % 6}`}
      data-testid="lane"
      aria-label={`channel ${ch}`}
    >
      <header className="mux-lane-header">
        <strong>channel {ch}</strong>
        <span className="mux-lane-service">
          {lane.service}
          {params}
        </span>
        <span className={`mux-lane-state state-${lane.state}`} data-testid="lane-state">
          {lane.state}
        </span>
        <button
          type="button"
          className="ghost"
          aria-label={live ? `Close channel ${ch}` : `Dismiss channel ${ch}`}
          onClick={() => closeLane(id, ch)}
        >
          {live ? "Close" : "Dismiss"}
        </button>
      </header>
      {lane.service === "clock" && (
        <p className="mux-lateness" data-testid="clock-lateness">
          {lane.lateness
            ? `late by ${lane.lateness.lastMs} ms · worst ${lane.lateness.maxMs} ms since the last 1 MiB send`
            : "lateness: waiting for ticks"}
        </p>
      )}
      {takesData && live && (
        <form
          className="mux-lane-composer"
          onSubmit={(event) => {
            event.preventDefault();
            sendOnLane(id, ch, text);
          }}
        >
          <input
            type="text"
            aria-label={`Data for channel ${ch}`}
            placeholder="text or JSON"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          {/* "Transmit", not "Send": the card's own Send button must stay the only one a test
              finds by that name, even with Playwright's default substring matching. */}
          <button type="submit" aria-label={`Transmit on channel ${ch}`}>
            Transmit
          </button>
        </form>
      )}
      {lane.service === "echo" && live && (
        <p className="mux-big">
          <button
            type="button"
            aria-label={`Transmit 1 MiB on channel ${ch}`}
            onClick={() => sendBigOnLane(id, ch)}
          >
            Transmit 1 MiB on this channel
          </button>
          <span data-testid="big-round-trip">
            {lane.bigSentAt !== undefined
              ? "1 MiB on its way…"
              : lane.bigRoundTripMs !== undefined
                ? `1 MiB round trip: ${lane.bigRoundTripMs} ms`
                : ""}
          </span>
        </p>
      )}
      <ol className="mux-lines" aria-label={`Traffic on channel ${ch}`}>
        {lane.lines.map((line) => (
          <li key={line.seq} className={`mux-line mux-line-${line.kind}`}>
            <span className="mux-line-kind">{LINE_KIND[line.kind]}</span> {line.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

const LINE_KIND = { out: "to server", in: "to client", event: "·", error: "⚠ error" } as const;
