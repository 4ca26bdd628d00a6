import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

/** Connects the card to /mux offering mux.v1. */
async function connectMux(card: Locator, page: Page): Promise<void> {
  await card.getByLabel("URL").fill(`ws://${new URL(page.url()).host}/mux`);
  await card.getByLabel("Subprotocols").fill("mux.v1");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expect(card.getByTestId("negotiated-protocol")).toContainText("mux.v1");
}

/** Opens a channel of `service` with the params typed into the form. */
async function openChannel(
  card: Locator,
  service: string,
  params: Record<string, string> = {},
): Promise<void> {
  await card.getByLabel("Service").selectOption(service);
  for (const [name, value] of Object.entries(params)) {
    await card.getByLabel(name, { exact: true }).fill(value);
  }
  await card.getByRole("button", { name: "Open channel" }).click();
}

test("echo, clock and counter lanes at once, each with its own messages", async ({
  card,
  page,
}) => {
  await connectMux(card, page);
  await openChannel(card, "echo");
  await openChannel(card, "clock", { interval: "50" });
  await openChannel(card, "counter", { count: "3", interval: "50" });

  const echo = card.getByTestId("lane").and(card.getByLabel("channel 1", { exact: true }));
  const clock = card.getByTestId("lane").and(card.getByLabel("channel 2", { exact: true }));
  const counter = card.getByTestId("lane").and(card.getByLabel("channel 3", { exact: true }));
  await expect(card.getByTestId("lane")).toHaveCount(3);
  await expect(echo.getByTestId("lane-state")).toHaveText("open");

  await echo.getByLabel("Data for channel 1").fill('{"hello":"mux"}');
  await echo.getByRole("button", { name: "Transmit on channel 1" }).click();
  await expect(echo.getByRole("listitem").filter({ hasText: "to client" })).toHaveText(
    'to client {"hello":"mux"}',
  );

  await expect(clock.getByRole("listitem").filter({ hasText: /"tick":3,/ })).toHaveCount(1);
  await expect(clock.getByTestId("clock-lateness")).toContainText("late by");

  await expect(counter.getByRole("listitem").filter({ hasText: "to client" })).toHaveText([
    "to client 1",
    "to client 2",
    "to client 3",
  ]);
  await expect(counter.getByRole("listitem").last()).toHaveText("· closed: counted to 3");
  await expect(counter.getByTestId("lane-state")).toHaveText("closed");

  // Isolation: the echo lane saw none of the clock's ticks nor the counter's numbers.
  await expect(echo.getByRole("listitem").filter({ hasText: "tick" })).toHaveCount(0);
  await expect(echo.getByRole("listitem").filter({ hasText: "to client" })).toHaveCount(1);

  await clock.getByRole("button", { name: "Close channel 2" }).click();
  await expect(clock.getByRole("listitem").last()).toHaveText("· closed: closed by client");

  // The frame log interleaves the lanes on the one socket, each labelled in its channel's colour.
  await card.getByLabel("Frame type").selectOption("text");
  await card.getByLabel("Search frames").fill("channel 3 · open");
  const opened = card
    .getByTestId("frame-log")
    .locator(".frame-label", { hasText: "channel 3 · open counter" });
  await expect(opened).toHaveAttribute("data-channel-hue", "3");
});

test("an error is shown in the lane that caused it, and the other lanes go on", async ({
  card,
  page,
}) => {
  await connectMux(card, page);
  await openChannel(card, "echo");
  await openChannel(card, "clock", { interval: "10" });
  const echo = card.getByTestId("lane").and(card.getByLabel("channel 1", { exact: true }));
  const tooFast = card.getByTestId("lane").and(card.getByLabel("channel 2", { exact: true }));
  await expect(tooFast.getByRole("listitem").filter({ hasText: "error" })).toHaveText(
    "⚠ error bad-params: interval must be an integer from 50–60000, not 10",
  );
  await expect(tooFast.getByTestId("lane-state")).toHaveText("closed");

  await echo.getByLabel("Data for channel 1").fill("still here");
  await echo.getByRole("button", { name: "Transmit on channel 1" }).click();
  await expect(echo.getByRole("listitem").filter({ hasText: "to client" })).toHaveText(
    "to client still here",
  );
});

test("chat between two cards in one room", async ({ card, page }) => {
  await connectMux(card, page);
  await page.getByRole("button", { name: "New connection" }).click();
  const second = page.getByTestId("connection-card").nth(1);
  await connectMux(second, page);
  const room = `e2e-${test.info().workerIndex}-${Date.now()}`;
  await openChannel(card, "chat", { room });
  await openChannel(second, "chat", { room });
  const mine = card.getByTestId("lane").and(card.getByLabel("channel 1", { exact: true }));
  const theirs = second.getByTestId("lane").and(second.getByLabel("channel 1", { exact: true }));
  await expect(theirs.getByTestId("lane-state")).toHaveText("open");

  await mine.getByLabel("Data for channel 1").fill("hello, room");
  await mine.getByRole("button", { name: "Transmit on channel 1" }).click();
  await expect(theirs.getByRole("listitem").filter({ hasText: "to client" })).toHaveText(
    "to client hello, room",
  );
  await expect(mine.getByRole("listitem").filter({ hasText: "to client" })).toHaveText(
    "to client hello, room",
  );
});

test("1 MiB on an echo lane comes back while the clock lane measures its lateness", async ({
  card,
  page,
}) => {
  await connectMux(card, page);
  await openChannel(card, "clock", { interval: "50" });
  await openChannel(card, "echo");
  const clock = card.getByTestId("lane").and(card.getByLabel("channel 1", { exact: true }));
  const echo = card.getByTestId("lane").and(card.getByLabel("channel 2", { exact: true }));
  await expect(clock.getByTestId("clock-lateness")).toContainText("late by");
  await echo.getByRole("button", { name: "Transmit 1 MiB on channel 2" }).click();
  await expect(echo.getByTestId("big-round-trip")).toHaveText(/^1 MiB round trip: \d+ ms$/);
  await expect(echo.getByRole("listitem").filter({ hasText: "to client" })).toHaveText(
    "to client binary · 1,048,574 bytes",
  );
  await expect(clock.getByTestId("clock-lateness")).toHaveText(
    /^late by \d+ ms · worst \d+ ms since the last 1 MiB send$/,
  );
});

test("the comparison counts 1 socket and 1 handshake against N, with a round trip each way", async ({
  card,
  page,
}) => {
  await connectMux(card, page);
  await card.getByLabel("N", { exact: true }).fill("3");
  await card.getByRole("button", { name: "Compare", exact: true }).click();
  const table = card.getByRole("table", { name: "Multiplexing comparison" });
  await expect(table).toBeVisible();
  await expect(card.getByTestId("compare-sockets-mux")).toHaveText("1");
  await expect(card.getByTestId("compare-sockets-separate")).toHaveText("3");
  await expect(card.getByTestId("compare-handshakes-mux")).toHaveText("1");
  await expect(card.getByTestId("compare-handshakes-separate")).toHaveText("3");
  await expect(card.getByTestId("compare-tcp-separate")).toHaveText("3");
  await expect(card.getByTestId("compare-rtt-mux")).toHaveText(/^\d+\.\d\d ms$/);
  await expect(card.getByTestId("compare-rtt-separate")).toHaveText(/^\d+\.\d\d ms$/);
  await expect(card.getByTestId("compare-handshake-bytes-mux")).toHaveText(/^[\d,]+ B$/);
  // The envelope costs bytes on every message: more framing per message over the one socket.
  await expect(card.getByTestId("compare-framing-mux")).toHaveText("34 / 30 B");
  await expect(card.getByTestId("compare-framing-separate")).toHaveText("6 / 2 B");
  // The card's own socket and lanes were not touched.
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expect(card.getByTestId("lane")).toHaveCount(0);
});

test("choosing /mux or /ws in the picker offers the one subprotocol each speaks", async ({
  card,
}) => {
  const picker = card.getByLabel("Endpoint", { exact: true });
  await picker.selectOption("/mux");
  await expect(card.getByLabel("Subprotocols")).toHaveValue("mux.v1");
  // Fixed on this endpoint: shown, not editable.
  await expect(card.getByLabel("require", { exact: true })).toBeDisabled();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("negotiated-protocol")).toHaveText("mux.v1");
  await card.getByRole("button", { name: "Disconnect" }).click();
  // What the person typed is theirs: another endpoint does not overwrite it.
  await picker.selectOption("/ws");
  await expect(card.getByLabel("Subprotocols")).toHaveValue("mux.v1");
  await card.getByLabel("Subprotocols").fill("");
  await picker.selectOption("/echo");
  await picker.selectOption("/ws");
  await expect(card.getByLabel("Subprotocols")).toHaveValue("my-subprotocol");
});
