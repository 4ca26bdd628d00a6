import { useEffect, useId, useRef, useState } from "react";
import { encodeScenario, scenarioLink } from "../../scenarios/scenario-link.ts";
import { currentScenario, importScenarioText } from "../../scenarios/scenario-session.ts";
import { formatCount } from "../../shared/format-count.ts";
import { useConnections } from "../../stores/connections-store.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import "./scenarios.css";

const FILE_NAME = "websocket-playground-scenario.json";

/** Names a link opened elsewhere cannot reach: they mean the visitor's own machine. */
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    hostname.startsWith("127.")
  );
}

export function SharePanel({ onClose }: { onClose(): void }) {
  // The link follows the cards while the panel is open.
  const cards = useConnections((state) => state.cards);
  const order = useConnections((state) => state.order);
  const [connect, setConnect] = useState(false);
  const [link, setLink] = useState("");
  const [copied, setCopied] = useState<string | undefined>();
  const linkId = useId();
  const fileInput = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the cards are what the link encodes
  useEffect(() => {
    let current = true;
    encodeScenario(currentScenario()).then((encoded) => {
      if (current) setLink(scenarioLink(location.href, encoded, connect));
    });
    setCopied(undefined);
    return () => {
      current = false;
    };
  }, [cards, order, connect]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Copied.");
    } catch {
      // The clipboard API needs a secure context (https or localhost) and permission.
      setCopied("The browser did not allow copying here: select the link above and copy it.");
    }
  };

  const exportFile = () => {
    const blob = new Blob([`${JSON.stringify(currentScenario(), null, 2)}\n`], {
      type: "application/json",
    });
    const anchor = document.createElement("a");
    anchor.href = URL.createObjectURL(blob);
    anchor.download = FILE_NAME;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(anchor.href), 0);
  };

  const loopback = isLoopbackHost(location.hostname);

  return (
    <section id="share-panel" className="panel share-panel" aria-labelledby="share-title">
      <div className="share-head">
        <h2 id="share-title">Share these cards</h2>
        <button type="button" className="ghost" onClick={onClose}>
          Close share panel
        </button>
      </div>
      <Lesson>
        The link carries every card (URL, subprotocols, what is typed, Socket.IO settings, mux
        lanes, collapsed panels), compressed into the part after <code>#</code>, which browsers
        never send to a server: nothing is stored anywhere. Whoever opens it gets the same cards,
        not connected, unless the link ends in <code>&amp;connect</code>.
      </Lesson>
      <label className="toggle">
        <input
          type="checkbox"
          checked={connect}
          onChange={(event) => setConnect(event.currentTarget.checked)}
        />
        Connect every card when the link is opened
      </label>
      <label htmlFor={linkId}>Link</label>
      <textarea
        id={linkId}
        className="share-link"
        readOnly
        rows={3}
        value={link}
        data-testid="share-link"
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="share-actions">
        <span className="hint">
          {link ? `${formatCount(link.length)} characters` : "Compressing…"}
        </span>
        <button type="button" className="primary" disabled={!link} onClick={copy}>
          Copy link
        </button>
        <button type="button" onClick={exportFile}>
          Export JSON file
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import JSON file
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label="Scenario file to import"
          tabIndex={-1}
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = "";
            if (file) importScenarioText(await file.text(), file.name);
          }}
        />
      </div>
      {copied && (
        <p className="hint" role="status">
          {copied}
        </p>
      )}
      {loopback && (
        <p className="hint share-warning">
          This page is open at <code>{location.hostname}</code>, so the link opens only on this
          machine. For a room, start the server with <code>--host 0.0.0.0</code> and share from one
          of the LAN addresses it prints. WebSocket URLs on this server are kept relative (
          <code>/echo</code>), so they follow the address the link is opened at.
        </p>
      )}
      <p className="hint">
        {formatCount(order.length)} {order.length === 1 ? "card" : "cards"} in this scenario.
      </p>
    </section>
  );
}
