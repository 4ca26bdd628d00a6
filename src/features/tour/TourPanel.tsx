import { replaceWith } from "../../scenarios/scenario-session.ts";
import { markStopOpened, useTourProgress } from "./tour-progress.ts";
import {
  neighbourStop,
  stopButtonName,
  stopNoticePrefix,
  TOUR_STOPS,
  tourCardSummary,
  tourSentenceParts,
} from "./tour-stops.ts";
import "./tour.css";

/** Replaces the cards with the stop's and connects them: the learner asked to see it. */
function openStop(index: number): void {
  const stop = TOUR_STOPS[index];
  if (!stop) return;
  markStopOpened(index);
  replaceWith(stop.scenario, stopNoticePrefix(index), { connect: true });
}

function Sentence({ text }: { text: string }) {
  return (
    <p>
      {tourSentenceParts(text).map((part, index) =>
        part.code ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed sentence
          <code key={index}>{part.text}</code>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}

/**
 * The Tour: one stop per section of the chapter, in order. Opening a stop replaces the cards with
 * the stop's scenario and connects them; the scenario notice can bring the previous cards back.
 */
export function TourPanel({ onClose }: { onClose(): void }) {
  const current = useTourProgress((state) => state.current);
  const opened = useTourProgress((state) => state.opened);
  const stop = TOUR_STOPS[current] ?? TOUR_STOPS[0];
  if (!stop) return null;
  const previous = neighbourStop(current, -1);
  const next = neighbourStop(current, 1);

  return (
    <section id="tour-panel" className="panel tour-panel" aria-labelledby="tour-title">
      <div className="tour-head">
        <h2 id="tour-title">Tour of the chapter</h2>
        <button type="button" className="ghost" onClick={onClose}>
          Close tour
        </button>
      </div>
      <p className="hint">
        One stop per section of the chapter, each with cards that show it on this server. Opening a
        stop replaces your cards with its own and connects them; the notice above brings yours back.
      </p>
      <div className="tour-body">
        <nav aria-label="Tour stops">
          <ol className="tour-stops">
            {TOUR_STOPS.map((candidate, index) => (
              <li key={candidate.title}>
                <button
                  type="button"
                  className={index === current ? "tour-stop-button current" : "tour-stop-button"}
                  aria-current={index === current ? "step" : undefined}
                  onClick={() => openStop(index)}
                >
                  <span className="visually-hidden">{stopButtonName(index, candidate)}</span>
                  <span aria-hidden="true" className="tour-stop-number">
                    {index + 1}
                  </span>
                  <span aria-hidden="true">{candidate.title}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <article className="tour-stop" aria-labelledby="tour-stop-title" data-testid="tour-stop">
          <h3 id="tour-stop-title">
            Stop {current + 1} of {TOUR_STOPS.length}: {stop.title}
          </h3>
          <div className="tour-sentences">
            {stop.sentences.map((sentence) => (
              <Sentence key={sentence} text={sentence} />
            ))}
          </div>
          <div className="tour-aside">
            {stop.links.length > 0 && (
              <ul className="tour-links">
                {stop.links.map((link) => (
                  <li key={link.href}>
                    <a href={link.href} target="_blank" rel="noopener">
                      {link.label}
                    </a>{" "}
                    <code>{link.href}</code>
                  </li>
                ))}
              </ul>
            )}
            <div className="tour-cards">
              <span className="hint">
                {opened === current
                  ? `Opened below (${stop.scenario.cards.length === 1 ? "1 card" : `${stop.scenario.cards.length} cards`}):`
                  : `Its ${stop.scenario.cards.length === 1 ? "card" : `${stop.scenario.cards.length} cards`}, not opened yet:`}
              </span>
              <ol>
                {stop.scenario.cards.map((card, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a stop's cards are fixed
                  <li key={index}>
                    <code>{tourCardSummary(card)}</code>
                  </li>
                ))}
              </ol>
            </div>
            <div className="tour-nav">
              {opened !== current && (
                <button type="button" className="primary" onClick={() => openStop(current)}>
                  Open this stop's cards
                </button>
              )}
              <button
                type="button"
                disabled={previous === undefined}
                onClick={() => previous !== undefined && openStop(previous)}
              >
                <span aria-hidden="true">← </span>Previous stop
              </button>
              <button
                type="button"
                className={opened === current ? "primary" : undefined}
                disabled={next === undefined}
                onClick={() => next !== undefined && openStop(next)}
              >
                Next stop<span aria-hidden="true"> →</span>
              </button>
            </div>
          </div>
        </article>
      </div>
    </section>
  );
}
