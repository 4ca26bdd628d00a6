import { expect, test } from "./fixtures.ts";

test.beforeEach(async ({ card }) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
});

test("text comes back as text", async ({ card }) => {
  await card.getByLabel("Message").fill("héllo wörld");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  const log = card.getByTestId("message-log");
  await expect(log.getByRole("listitem").filter({ hasText: "received" })).toContainText(
    "héllo wörld",
  );
  await expect(log.getByRole("listitem").filter({ hasText: "received" })).toContainText("13");
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
});

test("JSON is validated, prettified and echoed as text", async ({ card }) => {
  await card.getByRole("radio", { name: "JSON" }).check();
  await card.getByLabel("Message").fill('{"op":"hi",');
  await expect(card.getByRole("alert")).toContainText("Not valid JSON");
  await expect(card.getByRole("button", { name: "Send", exact: true })).toBeDisabled();
  await card.getByLabel("Message").fill('{"op":"hi","n":[1,2]}');
  await card.getByRole("button", { name: "Pretty" }).click();
  await expect(card.getByLabel("Message")).toHaveValue(
    '{\n  "op": "hi",\n  "n": [\n    1,\n    2\n  ]\n}',
  );
  await card.getByRole("button", { name: "Send", exact: true }).click();
  const received = card
    .getByTestId("message-log")
    .getByRole("listitem")
    .filter({ hasText: "received" });
  await expect(received).toContainText('"op": "hi"');
  await expect(received).toContainText("text");
});

test("binary from hex and base64 comes back as binary", async ({ card }) => {
  await card.getByRole("radio", { name: "Hex" }).check();
  await card.getByLabel("Message").fill("de ad be ef");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await card.getByRole("radio", { name: "Base64" }).check();
  await card.getByLabel("Message").fill("AAEC");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  const received = card
    .getByTestId("message-log")
    .getByRole("listitem")
    .filter({ hasText: "received" });
  await expect(received).toHaveCount(2);
  await expect(received.nth(0)).toContainText("binary");
  await expect(received.nth(0)).toContainText("de ad be ef");
  await expect(received.nth(1)).toContainText("00 01 02");
});

test("send N times counts every message, sent and received", async ({ card }) => {
  await card.getByLabel("Times").fill("1000");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2,000 messages");
  await card.getByLabel("Sent or received").selectOption("in");
  await expect(card.getByTestId("message-count")).toHaveText("2,000 messages · 1,000 shown");
  await card.getByRole("button", { name: "Clear messages" }).click();
  await expect(card.getByTestId("message-count")).toHaveText("0 messages · 0 shown");
});

test("a chosen close code and reason reach the server and come back", async ({ card }) => {
  await card.getByLabel("Close code").fill("4001");
  await card.getByLabel("Close reason").fill("done for today");
  await card.getByRole("button", { name: "Close with code" }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(card.getByTestId("close-code")).toHaveText("4001");
  await expect(card.getByTestId("close-reason")).toHaveText("done for today");
  await expect(card.getByTestId("close-was-clean")).toHaveText("true");
});

test("the browser refuses close codes reserved for the protocol", async ({ card }) => {
  await card.getByLabel("Close code").fill("1002");
  await expect(card.getByText("Scripts may send only 1000 or 3000–4999")).toBeVisible();
  await card.getByRole("button", { name: "Close with code" }).click();
  await expect(card.getByRole("alert")).toContainText("The browser refused");
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
});

test("Disconnect closes normally with 1005 (no status)", async ({ card }) => {
  await card.getByRole("button", { name: "Disconnect" }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(card.getByTestId("close-code")).toHaveText("1005");
  await expect(card.getByTestId("close-was-clean")).toHaveText("true");
});

test("pause freezes the view while the count goes on; resume catches up", async ({ card }) => {
  const sent = card.getByTestId("message-log").getByRole("listitem").filter({ hasText: "sent" });
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  await card.getByRole("button", { name: "Pause messages" }).click();
  await card.getByLabel("Times").fill("5");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  // The frame log is not paused: once it shows all 12 frames, the messages have arrived too.
  await expect(card.getByTestId("frame-count")).toHaveText("12 frames");
  await expect(card.getByTestId("message-count")).toHaveText(
    "12 messages · paused: 10 newer not shown",
  );
  await expect(sent).toHaveCount(1);
  await card.getByRole("button", { name: "Resume messages" }).click();
  await expect(card.getByTestId("message-count")).toHaveText("12 messages");
  await expect(sent).toHaveCount(6);
});

test("export writes the log as JSON", async ({ page, card }) => {
  await card.getByLabel("Message").fill("exported");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("button", { name: "Export messages" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("message-log-connection-1.json");
  const path = await download.path();
  const { readFile } = await import("node:fs/promises");
  const entries = JSON.parse(await readFile(path, "utf8"));
  expect(
    entries.map((entry: { dir: string; preview: string }) => [entry.dir, entry.preview]),
  ).toEqual([
    // Every attempt starts a section: its row carries the URL the attempt used.
    ["section", expect.stringMatching(/\/echo\?tap=[\w-]{16}$/)],
    ["event", "open"],
    ["out", "exported"],
    ["in", "exported"],
  ]);
});
