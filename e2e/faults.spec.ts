import { expect, pointCardAt, test } from "./fixtures.ts";

test("after a drop the card reconnects with backoff, and the timeline explains each close", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/chaos?drop=300");
  await card.getByRole("checkbox", { name: "Reconnect" }).check();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  const timeline = card.getByTestId("reconnect-timeline");
  await expect(timeline).toContainText("Attempt 1: open");
  await expect(timeline).toContainText("Attempt 1: closed 1006, wasClean false.");
  await expect(timeline).toContainText(/Reconnecting in 0\.[3-7] s \(reconnection 1 of 8\)/);
  await expect(timeline).toContainText("Attempt 2: connecting (reconnection 1)");
  await expect(timeline).toContainText("Attempt 2: open");
  await expect(card.getByTestId("close-code-explainer")).toContainText(
    "It never travels in a close frame: only an API reports it",
  );
  // Unticking stops the retries: the next drop is not followed by a retry.
  await card.getByRole("checkbox", { name: "Reconnect" }).uncheck();
  await expect(timeline).toContainText("Attempt 2: closed 1006");
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(timeline.getByRole("listitem").last()).not.toContainText("Reconnecting");
  // Both attempts are sections of the message log.
  await expect(card.getByTestId("message-log")).toContainText("Connection attempt 2");
});

test("a drop without reconnection: 1006, not clean, and no close frames on the wire", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/chaos?drop=200");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("close-code")).toHaveText("1006");
  await expect(card.getByTestId("close-was-clean")).toHaveText("false");
  await expect(card.getByTestId("frame-count")).toHaveText("0 frames");
});

test("the Faults panel stages a clean close with a code and says what will happen", async ({
  card,
}) => {
  await card.getByRole("button", { name: "Close with 4000 after 1 s" }).click();
  await expect(card.getByTestId("fault-expectation")).toContainText("code 4000");
  await expect(card.getByLabel("URL")).toHaveValue(/\/chaos\?close=4000&reason=Closed\+by/);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("close-code")).toHaveText("4000");
  await expect(card.getByTestId("close-reason")).toHaveText("Closed by /chaos");
  await expect(card.getByTestId("close-was-clean")).toHaveText("true");
  const closes = card.getByTestId("frame-log").getByRole("button").filter({ hasText: "close" });
  await expect(closes).toHaveCount(2);
  await expect(closes.first()).toContainText("4000 · Closed by /chaos");
});

test("fragment=3: one message on the page, three frames on the wire", async ({ page, card }) => {
  await pointCardAt(card, page, "/chaos?fragment=3");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Message").fill("fragmented message");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  const toClient = card
    .getByTestId("frame-log")
    .getByRole("button")
    .filter({ hasText: "to client" });
  await expect(toClient).toHaveCount(3);
  await expect(toClient.nth(0)).toContainText("text");
  await expect(toClient.nth(1)).toContainText("continuation");
  await expect(toClient.nth(2)).toContainText("continuation");
  await expect(toClient.nth(2)).toContainText("FIN");
  await expect(toClient.nth(0)).not.toContainText("FIN");
});

test("ping=200: pings and the browser's pongs show only in the frame log", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/chaos?ping=200");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  const frames = card.getByTestId("frame-log").getByRole("button");
  await expect(frames.filter({ hasText: "ping" }).first()).toContainText("to client");
  await expect(frames.filter({ hasText: "pong" }).first()).toContainText("to server");
  await expect(card.getByTestId("message-count")).toHaveText("0 messages");
});

test("refuse=503: the browser reports 1006, the handshake panel the 503", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/chaos?refuse=503");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("close-code")).toHaveText("1006");
  await expect(card.getByTestId("handshake")).toContainText("503");
});

test("handshake_delay: the card stays CONNECTING until the late 101", async ({ page, card }) => {
  await pointCardAt(card, page, "/chaos?handshake_delay=1500");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("CONNECTING");
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
});

test("oversize=1: the browser takes a message above the server's own limit", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/chaos?oversize=1");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("1 message");
  await expect(
    card.getByTestId("message-log").getByRole("listitem").filter({ hasText: "received" }),
  ).toContainText("1048577");
});
