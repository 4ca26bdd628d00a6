import { expect, pointCardAt, test } from "./fixtures.ts";

test.describe("subprotocol negotiation as the browser reports it", () => {
  const cases = [
    {
      name: "the client's first accepted subprotocol wins by default",
      path: "/echo",
      offer: "json, chat.v1",
      protocol: "json",
      verdict: "Matched 'json'.",
    },
    {
      name: "prefer=server makes the server's order win",
      path: "/echo?prefer=server",
      offer: "json, chat.v1",
      protocol: "chat.v1",
      verdict: "Matched 'chat.v1'.",
    },
    {
      name: "accept= replaces what the server speaks",
      path: "/echo?accept=mqtt",
      offer: "json, mqtt",
      protocol: "mqtt",
      verdict: "Matched 'mqtt'.",
    },
    {
      name: "offering nothing opens a plain WebSocket",
      path: "/echo",
      offer: "",
      protocol: "",
      verdict: "No subprotocol offered: plain WebSocket.",
    },
  ];
  for (const { name, path, offer, protocol, verdict } of cases) {
    test(name, async ({ page, card }) => {
      await pointCardAt(card, page, path);
      await card.getByLabel("Subprotocols").fill(offer);
      await card.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
      await expect(card.getByTestId("negotiated-protocol")).toHaveText(protocol);
      await expect(card.getByTestId("negotiated-extensions")).toHaveText("");
      await expect(card.getByTestId("negotiation-verdict")).toContainText(verdict);
    });
  }

  const failures = [
    {
      name: "no match: the server answers with none and the browser fails the connection",
      path: "/echo",
      offer: "mqtt",
      verdict: "The server chose none, so your browser refused the connection.",
    },
    {
      name: "require=1: the server refuses the handshake with HTTP 400",
      path: "/echo?require=1",
      offer: "mqtt",
      verdict: "The server refused the handshake: HTTP 400.",
    },
    {
      name: "misbehave=unoffered: the browser refuses a subprotocol it did not offer",
      path: "/echo?misbehave=unoffered",
      offer: "chat.v2",
      verdict: "The server answered 'chat.v1', which you did not offer",
    },
    {
      name: "invalid parameters: the server refuses with HTTP 400 and the page says why first",
      path: "/echo?prefer=sideways",
      offer: "json",
      verdict: "prefer must be one of client, server (got 'sideways').",
    },
  ];
  for (const { name, path, offer, verdict } of failures) {
    test(name, async ({ page, card }) => {
      await pointCardAt(card, page, path);
      await card.getByLabel("Subprotocols").fill(offer);
      await card.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(card.getByTestId("close-code")).toHaveText("1006");
      await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
      await expect(card.getByTestId("close-was-clean")).toHaveText("false");
      await expect(card.getByTestId("negotiated-protocol")).toHaveText("");
      await expect(card.getByTestId("negotiation-verdict")).toContainText(verdict);
    });
  }

  test("a subprotocol that is not a token makes new WebSocket() throw", async ({ card }) => {
    await card.getByLabel("Subprotocols").fill("not a token");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("negotiation-verdict")).toContainText(
      "Your browser refused to start the connection.",
    );
    await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  });

  test("the parameter form writes the URL's query", async ({ card }) => {
    await card.getByText("Parameters", { exact: true }).click();
    await card.getByLabel("require").check();
    await card.getByLabel("prefer").selectOption("server");
    await expect(card.getByLabel("URL")).toHaveValue(/\/echo\?prefer=server&require=1$/);
    await card.getByLabel("accept").fill("x.v1, y.v2");
    await expect(card.getByLabel("URL")).toHaveValue(/accept=x\.v1%2Cy\.v2/);
    await card.getByLabel("Subprotocols").fill("y.v2");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("negotiated-protocol")).toHaveText("y.v2");
  });
});

test("the chapter's /ws example, verbatim", async ({ page, card }) => {
  await card.getByLabel("Endpoint").selectOption("/ws");
  await expect(card.getByLabel("URL")).toHaveValue(
    new RegExp(`^ws://${new URL(page.url()).host}/ws$`),
  );
  // The picker offers the one subprotocol /ws speaks.
  await expect(card.getByLabel("Subprotocols")).toHaveValue("my-subprotocol");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("negotiated-protocol")).toHaveText("my-subprotocol");
  await card.getByLabel("Message").fill("Hello Server!");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-log")).toContainText("Received: Hello Server!");
});

test("the chapter's /ws refuses a connection without its subprotocol", async ({ page, card }) => {
  await pointCardAt(card, page, "/ws");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("close-code")).toHaveText("1006");
  await expect(card.getByTestId("negotiation-verdict")).toContainText(
    "The server refused the handshake: HTTP 400.",
  );
});
