import type { Locator } from "@playwright/test";
import { expect, pointCardAt, test } from "./fixtures.ts";

// SPEC: "Accessible names are unique within a card", so that getByRole/getByLabel inside a card
// finds exactly one control. Read from Chromium's accessibility tree (Playwright's ARIA
// snapshot), for a card in each of its shapes, with its panels loaded and data in them.

const CONTROL_ROLES = new Set([
  "button",
  "checkbox",
  "combobox",
  "link",
  "listbox",
  "radio",
  "searchbox",
  "slider",
  "spinbutton",
  "switch",
  "textbox",
]);

/** Controls the SPEC names inside a card, by role. */
const SPEC_CONTROLS: [role: "button" | "checkbox" | "switch" | "textbox", name: string][] = [
  // Connect only: the cards below are open, and "Disconnect" contains "connect".
  ["button", "Disconnect"],
  ["button", "Send"],
  ["button", "Emit"],
  ["button", "Open channel"],
  ["checkbox", "Reconnect"],
  ["switch", "Socket.IO"],
  ["textbox", "URL"],
  ["textbox", "Subprotocols"],
  ["textbox", "Message"],
  ["textbox", "Event"],
];

/** The SPEC controls of an open raw WebSocket card. */
const RAW_CONTROLS = [
  "Disconnect",
  "Send",
  "Reconnect",
  "Socket.IO",
  "URL",
  "Subprotocols",
  "Message",
];

/** Each interactive control's role and name in the card, as the accessibility tree has them. */
async function controlNames(card: Locator): Promise<string[]> {
  const snapshot = await card.ariaSnapshot();
  const names: string[] = [];
  for (const line of snapshot.split("\n")) {
    const match = /^\s*- (\w+)(?: "((?:[^"\\]|\\.)*)")?/.exec(line);
    if (!match?.[1] || !CONTROL_ROLES.has(match[1])) continue;
    names.push(`${match[1]} "${match[2] ?? ""}"`);
  }
  return names;
}

async function expectUniqueNames(card: Locator, present: readonly string[]): Promise<void> {
  const names = await controlNames(card);
  expect(names.length).toBeGreaterThan(10);
  const unnamed = names.filter((name) => name.endsWith('""'));
  expect(unnamed, "controls without an accessible name").toEqual([]);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  expect(repeated, "names used by more than one control in the card").toEqual([]);
  // A test written from the SPEC finds each of its controls with Playwright's default matching
  // (a case-insensitive substring), not only with `exact`.
  for (const [role, name] of SPEC_CONTROLS) {
    const count = present.includes(name) ? 1 : 0;
    await expect(
      card.getByRole(role, { name }),
      `getByRole("${role}", { name: "${name}" })`,
    ).toHaveCount(count);
    if (role === "textbox")
      await expect(card.getByLabel(name), `getByLabel("${name}")`).toHaveCount(count);
  }
}

test("a raw WebSocket card with messages and a selected frame", async ({ page, card }) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  await card
    .getByTestId("frame-log")
    .getByRole("button")
    .filter({ hasText: "to server" })
    .first()
    .click();
  await expect(card.getByTestId("frame-diagram")).toBeVisible();
  await expect(page.getByTestId("connection-card")).toHaveCount(1);
  await expectUniqueNames(card, RAW_CONTROLS);
});

test("a /mux card with two lanes", async ({ page, card }) => {
  await pointCardAt(card, page, "/mux");
  await card.getByLabel("Subprotocols").fill("mux.v1");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByRole("button", { name: "Open channel" }).click();
  await card.getByRole("button", { name: "Open channel" }).click();
  await expect(card.getByTestId("lane")).toHaveCount(2);
  await expectUniqueNames(card, [...RAW_CONTROLS, "Open channel"]);
});

test("a Socket.IO card with its namespaces", async ({ card }) => {
  await card.getByRole("switch", { name: "Socket.IO" }).check();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("namespace-pane")).toHaveCount(3);
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expectUniqueNames(card, [
    "Disconnect",
    "Emit",
    "Reconnect",
    "Socket.IO",
    "URL",
    "Event",
    "Message",
  ]);
});
