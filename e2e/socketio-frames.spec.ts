import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

async function emit(card: Locator, namespace: string, event: string, args: string) {
  await card.getByLabel("Namespace", { exact: true }).selectOption(namespace);
  await card.getByLabel("Event", { exact: true }).fill(event);
  await card.getByLabel("Message", { exact: true }).fill(args);
  await card.getByRole("button", { name: "Emit", exact: true }).click();
}

/**
 * The frame log's rows whose text matches `search`: the log is virtual, so it is narrowed by
 * its search box first (attempt rows always stay, hence the filter).
 */
async function rowsMatching(card: Locator, search: string): Promise<Locator> {
  await card.getByLabel("Search frames").fill(search);
  return card
    .getByTestId("frame-log")
    .getByRole("listitem")
    .filter({ hasNotText: "Connection attempt" });
}

test("the frame log decodes Socket.IO: polling exchanges, the probe, labelled frames of two namespaces", async ({
  card,
}) => {
  const toggle = card.getByRole("switch", { name: "Socket.IO" });
  await toggle.check();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expect(card.getByTestId("engine-transport")).toHaveText("websocket");
  const sid = (await card.getByTestId("engine-sid").textContent()) ?? "";
  expect(sid).not.toBe("");

  await emit(card, "/", "message", '"Hello"');
  await emit(card, "/chat", "join", '"lobby"');
  await emit(card, "/chat", "say", '"hi, lobby"');
  await expect(card.getByTestId("message-log")).toContainText("hi, lobby");

  // Long-polling came first: the opening GET's answer, decoded, with the raw body after it.
  const open = await rowsMatching(card, "open · sid");
  await expect(open).toHaveCount(1);
  await expect(open).toContainText(
    `GET /socket.io/?EIO=4&transport=polling · 200 · open · sid ${sid}`,
  );
  // HTTP exchanges are counted apart from frames.
  await expect(card.getByTestId("http-count")).toContainText(/\d+ HTTP exchanges/);

  // The upgrade's probe, both ways, then the client's `5`.
  const probe = await rowsMatching(card, "probe");
  await expect(probe).toHaveCount(2);
  await expect(probe.nth(0)).toContainText("ping · probe2probe");
  await expect(probe.nth(1)).toContainText("pong · probe3probe");

  // Frames of two namespaces over the one WebSocket, labelled before their raw text.
  const hello = await rowsMatching(card, "Received: Hello");
  await expect(hello).toHaveCount(1);
  await expect(hello).toContainText('message · EVENT · / · message42["message","Received: Hello"]');
  const said = await rowsMatching(card, "· said");
  await expect(said).toHaveCount(1);
  await expect(said).toContainText('message · EVENT · /chat · said42/chat,["said",');
  await expect(said.locator(".frame-label")).toHaveText("message · EVENT · /chat · said");

  // The HTTP kind filter shows only the polling exchanges.
  await card.getByLabel("Search frames").fill("");
  await card.getByLabel("Frame type").selectOption("http");
  const rows = card.getByTestId("frame-log").getByRole("listitem");
  await expect(rows.filter({ hasText: "POST /socket.io/" }).first()).toContainText(
    "message · CONNECT",
  );
  await expect(rows.filter({ hasText: "probe" })).toHaveCount(0);
  await expect(
    rows.filter({ hasNotText: "Connection attempt" }).filter({ hasNotText: "HTTP" }),
  ).toHaveCount(0);
});
