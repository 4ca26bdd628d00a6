/**
 * The page's scenario: built from the stores, opened into them, kept in localStorage across
 * reloads, and read from a shared link's fragment at startup.
 *
 * Opening a scenario replaces every card (each one's connection, logs, lanes and layout are let
 * go first). The cards it makes are not connected unless asked (`connect`), so a link never
 * opens sockets by surprise.
 */
import { create } from "zustand";
import { withConnection } from "../connections/connection.ts";
import { type CardState, useConnections } from "../stores/connections-store.ts";
import { dropFrameLog } from "../stores/frame-logs.ts";
import { dropMessageLog } from "../stores/message-logs.ts";
import { type CardMux, lanesOfCard, planLanes, useMux } from "../stores/mux-store.ts";
import {
  collapsedPanels,
  dropCardLayout,
  restoreCollapsed,
  usePanelLayout,
} from "../stores/panel-layout-store.ts";
import { makeScenario, type PageOrigin, parseScenarioJson, type Scenario } from "./scenario.ts";
import { cardInitOf, scenarioCardOf } from "./scenario-cards.ts";
import { decodeScenario, readFragment } from "./scenario-link.ts";

export const STORAGE_KEY = "wsp.scenario";
/** The cards a link or an import replaced, so that they can be brought back. */
export const PREVIOUS_STORAGE_KEY = "wsp.scenario.previous";
/** How long typing may go on before the scenario is saved again. */
const SAVE_DELAY_MS = 300;

export function pageOrigin(): PageOrigin {
  return { protocol: location.protocol, host: location.host };
}

/** The scenario the page shows now. */
export function currentScenario(title = ""): Scenario {
  const { cards, order } = useConnections.getState();
  const page = pageOrigin();
  return makeScenario(
    order.flatMap((id) => {
      const card = cards[id];
      if (!card) return [];
      return [
        scenarioCardOf(card, page, { lanes: lanesOfCard(id), collapsed: collapsedPanels(id) }),
      ];
    }),
    title,
  );
}

/** Removes a card and lets go of everything it held: socket, logs, lanes, layout. */
export function discardCard(id: string): void {
  withConnection(id, (connection) => connection.forget(id));
  dropMessageLog(id);
  dropFrameLog(id);
  planLanes(id, []);
  useMux.getState().dropCard(id);
  dropCardLayout(id);
  useConnections.getState().removeCard(id);
}

/** Replaces every card with the scenario's; returns the new cards' ids. */
export function openScenario(scenario: Scenario, options: { connect?: boolean } = {}): string[] {
  for (const id of [...useConnections.getState().order]) discardCard(id);
  const page = pageOrigin();
  const ids = scenario.cards.map((card) => {
    const id = useConnections.getState().addCard(cardInitOf(card, page));
    planLanes(id, card.muxLanes);
    restoreCollapsed(id, card.collapsed);
    // A Socket.IO card's client starts downloading now, as when its switch is turned on.
    if (card.mode === "socketio") withConnection(id, () => {}, "socketio");
    return id;
  });
  if (ids.length === 0) ids.push(useConnections.getState().addCard());
  if (options.connect) connectAll(ids);
  saveNow();
  return ids;
}

/** Starts a connection attempt on each card. */
function connectAll(ids: readonly string[]): void {
  for (const id of ids) withConnection(id, (connection) => connection.connect(id));
}

// ---------------------------------------------------------------------------------------------
// What the page says about scenarios (a link opened, a file imported, something refused).

export type ScenarioNotice =
  | { kind: "opening"; text: string }
  | { kind: "opened"; text: string; canUndo: boolean }
  | { kind: "refused"; text: string };

interface NoticeState {
  notice: ScenarioNotice | undefined;
}

export const useScenarioNotice = create<NoticeState>()(() => ({ notice: undefined }));

function tell(notice: ScenarioNotice | undefined): void {
  useScenarioNotice.setState({ notice });
}

export function dismissNotice(): void {
  tell(undefined);
}

function summarise(scenario: Scenario, connect: boolean): string {
  const count = scenario.cards.length;
  const cards = `${count} ${count === 1 ? "card" : "cards"}`;
  const name = scenario.title ? `“${scenario.title}”` : "a scenario";
  return `${name}: ${cards}, ${connect ? "Connect pressed on each" : "not connected (press Connect on a card to start)"}.`;
}

/**
 * Opens a scenario that replaces the person's cards (a link, a file, a tour stop), keeping the
 * cards it replaces so that Undo can bring them back.
 */
export function replaceWith(scenario: Scenario, how: string, options: { connect?: boolean } = {}) {
  const previous = currentScenario();
  writeStorage(PREVIOUS_STORAGE_KEY, JSON.stringify(previous));
  openScenario(scenario, options);
  tell({
    kind: "opened",
    text: `${how} ${summarise(scenario, options.connect === true)}`,
    canUndo: previous.cards.length > 0,
  });
}

/** Brings back the cards the last link, import or tour stop replaced. */
export function undoReplace(): void {
  const stored = readStorage(PREVIOUS_STORAGE_KEY);
  const parsed = stored === undefined ? undefined : parseScenarioJson(stored);
  if (!parsed?.ok) {
    tell({ kind: "refused", text: "The cards from before are no longer kept." });
    return;
  }
  openScenario(parsed.scenario);
  removeStorage(PREVIOUS_STORAGE_KEY);
  tell(undefined);
}

/** Opens a scenario file's text, or says why not (the cards stay as they are). */
export function importScenarioText(json: string, fileName: string): void {
  const parsed = parseScenarioJson(json);
  if (!parsed.ok) {
    tell({
      kind: "refused",
      text: `${fileName} was not opened: ${parsed.reason}. Your cards are unchanged.`,
    });
    return;
  }
  replaceWith(parsed.scenario, `Imported ${fileName}:`);
}

// ---------------------------------------------------------------------------------------------
// localStorage

function readStorage(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage blocked: the page works without it.
  }
}

function writeStorage(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false; // blocked or full: this page still works, the next load starts fresh.
  }
}

function removeStorage(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to do.
  }
}

let lastSaved: string | undefined;
let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Whether the page has said that it cannot save (said once, not on every keystroke). */
let toldUnsaved = false;

function saveNow(): void {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  const json = JSON.stringify(currentScenario());
  if (json === lastSaved) return;
  if (writeStorage(STORAGE_KEY, json)) {
    lastSaved = json;
    toldUnsaved = false;
  } else if (!toldUnsaved) {
    toldUnsaved = true;
    tell({
      kind: "refused",
      text: "These cards cannot be saved in this browser (its storage is blocked or full): a reload will start afresh. Share them as a link or export a JSON file to keep them.",
    });
  }
}

function saveSoon(): void {
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

/** The card fields a scenario keeps; the rest (state, timeline, handshake) changes far more often. */
const KEPT_FIELDS = [
  "mode",
  "url",
  "subprotocolsText",
  "reconnect",
  "composer",
  "emit",
  "socketIo",
] as const satisfies readonly (keyof CardState)[];

/** Whether a change of the cards touched what a scenario keeps (the store replaces what changes). */
function keptCardsChanged(
  state: { order: string[]; cards: Record<string, CardState> },
  previous: { order: string[]; cards: Record<string, CardState> },
): boolean {
  if (state.order !== previous.order) return true;
  return state.order.some((id) => {
    const [now, before] = [state.cards[id], previous.cards[id]];
    return !now || !before || KEPT_FIELDS.some((field) => now[field] !== before[field]);
  });
}

/** Whether lanes were opened or dismissed (a lane's new lines, ticks on a clock lane, are not). */
function laneSetChanged(
  state: { cards: Record<string, CardMux> },
  previous: { cards: Record<string, CardMux> },
): boolean {
  if (state.cards === previous.cards) return false;
  const ids = new Set([...Object.keys(state.cards), ...Object.keys(previous.cards)]);
  return [...ids].some((id) => state.cards[id]?.order !== previous.cards[id]?.order);
}

function storedScenario(): Scenario | undefined {
  const stored = readStorage(STORAGE_KEY);
  if (stored === undefined) return undefined;
  const parsed = parseScenarioJson(stored);
  // A scenario this page cannot read (another version) is left for that page; this one starts fresh.
  return parsed.ok && parsed.scenario.cards.length > 0 ? parsed.scenario : undefined;
}

// ---------------------------------------------------------------------------------------------
// Startup

/**
 * Opens the scenario of a link (`#scenario=…`, with `&connect` to connect it), if the address
 * has one, and takes the fragment off the address so that a reload keeps what the person does
 * next (the stored scenario is then the link's).
 */
function openFromFragment(): void {
  const request = readFragment(location.hash, location.search);
  if (request.encoded === undefined) return;
  const encoded = request.encoded;
  tell({ kind: "opening", text: "Opening the scenario from the link…" });
  history.replaceState(history.state, "", location.pathname + location.search);
  decodeScenario(encoded).then(
    (parsed) => {
      if (parsed.ok)
        replaceWith(parsed.scenario, "Opened from the link", { connect: request.connect });
      else tell({ kind: "refused", text: `The link's scenario was not opened: ${parsed.reason}.` });
    },
    (error: unknown) =>
      tell({ kind: "refused", text: `The link's scenario was not opened: ${String(error)}.` }),
  );
}

/**
 * Builds the first cards before the first render: the stored scenario, or one fresh card. A
 * link's scenario (`#scenario=…`) is inflated asynchronously and then replaces them; its
 * fragment is taken off the address so that a reload keeps what the person does next.
 */
export function startScenarios(): void {
  const request = readFragment(location.hash, location.search);
  const stored = storedScenario();
  if (stored) openScenario(stored, { connect: request.connect && request.encoded === undefined });
  else if (useConnections.getState().order.length === 0) useConnections.getState().addCard();
  lastSaved = readStorage(STORAGE_KEY);

  openFromFragment();
  // A link pasted into the address bar of this open page changes only the fragment.
  addEventListener("hashchange", openFromFragment);

  // Saved when what a scenario keeps changes, not on every state change, log line or tick.
  useConnections.subscribe((state, previous) => {
    if (keptCardsChanged(state, previous)) saveSoon();
  });
  useMux.subscribe((state, previous) => {
    if (laneSetChanged(state, previous)) saveSoon();
  });
  usePanelLayout.subscribe(saveSoon);
  // Typing followed at once by a reload or closing the tab is still kept.
  addEventListener("pagehide", saveNow);
}
