import { expect, pointCardAt, test } from "./fixtures.ts";

test("the frame log shows both directions, masking and the header diagram", async ({ card }) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Message").fill("Hello");
  await card.getByRole("button", { name: "Send", exact: true }).click();

  const frameLog = card.getByTestId("frame-log");
  const toServer = frameLog.getByRole("button").filter({ hasText: "to server" });
  const toClient = frameLog.getByRole("button").filter({ hasText: "to client" });
  await expect(toServer).toHaveCount(1);
  await expect(toClient).toHaveCount(1);
  await expect(toServer).toContainText("text");
  await expect(toServer).toContainText(/[0-9a-f]{8}/); // the browser's mask key
  await expect(toClient).toContainText("Hello");
  await expect(card.getByTestId("frame-count")).toHaveText("2 frames");

  await toServer.click();
  const diagram = card.getByTestId("frame-diagram");
  await expect(diagram).toContainText("masking key");
  await expect(diagram).toContainText(
    "5 bytes fit in the 7-bit length field (0–125): a 6-byte header.",
  );
});

test("a 300-byte message uses the 16-bit length and hex preview works", async ({ card }) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await card.getByRole("radio", { name: "Hex" }).check();
  await card.getByLabel("Message").fill("ab ".repeat(300));
  await card.getByRole("button", { name: "Send", exact: true }).click();
  const frameLog = card.getByTestId("frame-log");
  const toClient = frameLog.getByRole("button").filter({ hasText: "to client" });
  await expect(toClient).toContainText("binary");
  await expect(toClient).toContainText("300");
  await toClient.click();
  await expect(card.getByTestId("frame-diagram")).toContainText(
    "300 bytes need the 16-bit extended length (126–65,535): a 4-byte header.",
  );
});

test("closing shows both close frames with code and reason", async ({ card }) => {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Close code").fill("4002");
  await card.getByLabel("Close reason").fill("see you");
  await card.getByRole("button", { name: "Close with code" }).click();
  const closes = card.getByTestId("frame-log").getByRole("button").filter({ hasText: "close" });
  await expect(closes).toHaveCount(2);
  await expect(closes.first()).toContainText("see you");
  await card.getByLabel("Frame type").selectOption("control");
  await expect(card.getByTestId("frame-count")).toHaveText("2 frames · 2 shown");
});

test("the handshake panel shows the raw headers and checks the accept key", async ({ card }) => {
  await card.getByLabel("Subprotocols").fill("json");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  const handshake = card.getByTestId("handshake");
  await expect(handshake).toContainText(/GET \/echo\?tap=[\w-]+ HTTP\/1\.1/);
  await expect(handshake).toContainText("Sec-WebSocket-Key:");
  await expect(handshake).toContainText("HTTP/1.1 101 Switching Protocols");
  await expect(handshake).toContainText("Sec-WebSocket-Protocol: json");
  await expect(card.getByTestId("accept-check")).toContainText("✓ Sec-WebSocket-Accept checks out");
});

test("a refused handshake shows the server's status and reason", async ({ page, card }) => {
  await pointCardAt(card, page, "/echo?require=1");
  await card.getByLabel("Subprotocols").fill("mqtt");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  const handshake = card.getByTestId("handshake");
  await expect(handshake).toContainText("HTTP/1.1 400 Bad Request");
  await expect(handshake).toContainText("No offered subprotocol is accepted here");
});

test("permessage-deflate: compressed frames and the negotiated extension", async ({
  page,
  card,
}) => {
  await pointCardAt(card, page, "/deflate");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("negotiated-extensions")).toContainText("permessage-deflate");
  await card.getByLabel("Message").fill("compress me please ".repeat(50));
  await card.getByRole("button", { name: "Send", exact: true }).click();
  const toClient = card
    .getByTestId("frame-log")
    .getByRole("button")
    .filter({ hasText: "to client" });
  await expect(toClient).toContainText("RSV1");
  await expect(toClient).toContainText("950"); // the inflated size
  await toClient.click();
  await expect(card.getByTestId("frame-diagram")).toContainText("The message was compressed");
});

test("a connection to another server says why its frame log is empty", async ({ card }) => {
  await card.getByLabel("URL").fill("ws://127.0.0.1:9/elsewhere");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("close-code")).toHaveText("1006");
  await expect(card.getByTestId("frame-log")).toContainText(
    "Frames are shown only for connections to the companion server",
  );
});

test("the stream generator fills both logs", async ({ page, card }) => {
  await pointCardAt(card, page, "/stream?count=2000&rate=100000&size=16");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2,000 messages");
  await expect(card.getByTestId("close-code")).toHaveText("1000");
  await expect(card.getByTestId("close-reason")).toHaveText("Sent 2000 messages");
  // 2,000 data frames, the server's close and the browser's answer.
  await expect(card.getByTestId("frame-count")).toHaveText("2,002 frames");
});
