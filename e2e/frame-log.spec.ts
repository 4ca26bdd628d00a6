import { closed, openClient } from "../server/testing/ws-client.ts";
import { expect, pointCardAt, test } from "./fixtures.ts";

test("close rows show the code and reason; the hex view shows the code's bytes", async ({
  card,
}) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Close code").fill("4002");
  await card.getByLabel("Close reason").fill("see you");
  await card.getByRole("button", { name: "Close with code" }).click();
  const closes = card.getByTestId("frame-log").getByRole("button").filter({ hasText: "close" });
  await expect(closes).toHaveCount(2);
  await expect(closes.first()).toContainText("4002 · see you");
  await card.getByRole("checkbox", { name: "Hex preview" }).check();
  // 4002 is 0x0fa2, then the reason's UTF-8.
  await expect(closes.first()).toContainText("0f a2 73 65 65 20 79 6f 75");
});

test("every attempt is its own section; a refused one says why it has no frames", async ({
  page,
  card,
}) => {
  const frameLog = card.getByTestId("frame-log");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(card.getByTestId("frame-count")).toHaveText("2 frames");

  await pointCardAt(card, page, "/echo?require=1");
  await card.getByLabel("Subprotocols").fill("mqtt");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(frameLog).toContainText(
    "No frames: the server answered the handshake with HTTP 400, so this connection never switched to WebSocket frames.",
  );
  const rows = frameLog.getByRole("listitem");
  // Attempt 1's section and its two close frames, then attempt 2's section, empty.
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText("Connection attempt 1");
  await expect(rows.nth(1)).toContainText("close");
  await expect(rows.nth(2)).toContainText("close");
  await expect(rows.nth(3)).toContainText("Connection attempt 2");
  await expect(rows.nth(3)).toContainText("/echo?require=1");
  await expect(card.getByTestId("message-log")).toContainText("Connection attempt 2");
});

test("frames the server no longer held are counted as not shown, never dropped silently", async ({
  page,
  card,
}) => {
  // Another client reads a stream of more frames than the server keeps per tap (20,000
  // events); the page then connects with the same tap id, and its inspector asks for a replay
  // the server can no longer give in full.
  const tap = "reused-tap-for-gap";
  const client = await openClient(
    `${page.url().replace("http", "ws")}stream?count=25000&rate=100000&size=8&tap=${tap}`,
  );
  expect((await closed(client)).code).toBe(1000);

  await pointCardAt(card, page, `/echo?tap=${tap}`);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  const count = card.getByTestId("frame-count");
  await expect(count).toHaveText(
    /^25,002 frames · 5,00[34] not shown: the page fell behind and the server keeps only the last 20,000 events per connection$/,
  );
  // Filters keep section and gap rows: with no ping frames, they are all that is left.
  await card.getByLabel("Frame type").selectOption("ping");
  const rows = card.getByTestId("frame-log").getByRole("listitem");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Connection attempt 1");
  await expect(rows.nth(1)).toHaveText(
    /^⚠ 5,00[34] frames not shown here: the page fell behind and the server keeps only the last 20,000 events per connection\.$/,
  );
});
