import { useState } from "react";
import { defaultSocketUrl, useConnections } from "../../stores/connections-store.ts";
import { Lesson } from "../lessons/Lesson.tsx";
import { FAULT_PRESETS } from "./fault-presets.ts";
import "./faults.css";
import { Panel } from "../../ui/Panel.tsx";

/** Builds `/chaos` URLs for the card and says what each fault will show. */
export function FaultsPanel({ id }: { id: string }) {
  const patchCard = useConnections((state) => state.patchCard);
  const [chosen, setChosen] = useState<string | undefined>();
  const preset = FAULT_PRESETS.find((candidate) => candidate.id === chosen);

  return (
    <Panel cardId={id} panelKey="faults" title="Faults">
      <Lesson>
        Break the connection on purpose and see what each side experiences. Each fault sets this
        card's URL to the companion server's /chaos endpoint; connect to stage it. Combine its
        parameters by hand in the URL or the endpoint form.
      </Lesson>
      <div className="fault-presets">
        {FAULT_PRESETS.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            className={candidate.id === chosen ? "ghost selected" : "ghost"}
            aria-pressed={candidate.id === chosen}
            onClick={() => {
              setChosen(candidate.id);
              const url = new URL(defaultSocketUrl("/chaos"));
              url.search = new URLSearchParams(candidate.query).toString();
              patchCard(id, { url: url.toString() });
            }}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      {preset && (
        <p className="hint" data-testid="fault-expectation">
          {preset.expect}
        </p>
      )}
    </Panel>
  );
}
