import type { Locator, Page } from "@playwright/test";
import { type RunningServer, startServer } from "../server/index.ts";
import { expect, pointCardAt, test } from "./fixtures.ts";

/** The card's pane for `name`: a `namespace-pane` whose heading is the namespace. */
function pane(card: Locator, page: Page, name: string): Locator {
  return card
    .getByTestId("namespace-pane")
    .filter({ has: page.getByRole("heading", { name, exact: true }) });
}

async function emit(card: Locator, namespace: string, event: string, args: string) {
  await card.getByLabel("Namespace", { exact: true }).selectOption(namespace);
  await card.getByLabel("Event", { exact: true }).fill(event);
  await card.getByLabel("Message", { exact: true }).fill(args);
  await card.getByRole("button", { name: "Emit", exact: true }).click();
}

/** The scripts the page has loaded so far, by file name. */
async function loadedScripts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => entry.name.split("/").pop() ?? "")
      .filter((name) => name.endsWith(".js")),
  );
}

async function switchToSocketIo(card: Locator) {
  const toggle = card.getByRole("switch", { name: "Socket.IO" });
  await toggle.check();
  await expect(toggle).toBeChecked();
}

test("Socket.IO mode: the chapter's message, a /chat room and /news ticks over one Engine.IO connection", async ({
  page,
  card,
}) => {
  // The whole card is shown (its last panels included) without the Socket.IO client…
  await expect(card.getByTestId("frame-log")).toBeVisible();
  expect(
    (await loadedScripts(page)).filter((name) => name.startsWith("socketio-connection-")),
  ).toEqual([]);
  await switchToSocketIo(card);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  // …which the switch loaded, as a chunk of its own.
  expect(await loadedScripts(page)).toContainEqual(expect.stringMatching(/^socketio-connection-/));
  await expect(card.getByTestId("namespace-pane")).toHaveCount(3);
  for (const name of ["/", "/chat", "/news"]) {
    await expect(pane(card, page, name).getByTestId("namespace-state")).toHaveText("connected");
  }

  // The chapter's example on the main namespace.
  await emit(card, "/", "message", '"Hello"');
  await expect(pane(card, page, "/")).toContainText('message "Received: Hello"');
  await expect(card.getByTestId("message-log")).toContainText('message "Received: Hello"');

  // A room on /chat: `said` comes back to the sender too, from its /chat socket id.
  const chat = pane(card, page, "/chat");
  await chat.getByLabel("Room").fill("lobby");
  await chat.getByRole("button", { name: "Join room" }).click();
  await expect(chat).toContainText('join "lobby"');
  await emit(card, "/chat", "say", '"hi, lobby"');
  await expect(chat).toContainText('said {"from":');
  await expect(chat).toContainText('"room":"lobby","text":"hi, lobby"');
  // Nothing of /chat shows up in the other panes.
  await expect(pane(card, page, "/")).not.toContainText("said");

  // /news pushes ticks by itself.
  await expect(pane(card, page, "/news")).toContainText('tick {"n":');

  // Several namespaces, one Engine.IO connection: every pane rode the card's one sid, while
  // each namespace has a socket id of its own.
  const sid = card.getByTestId("engine-sid");
  await expect(sid).toHaveText(/^[\w-]{10,}$/);
  const engineSid = (await sid.textContent()) ?? "";
  for (const name of ["/", "/chat", "/news"]) {
    await expect(pane(card, page, name).getByTestId("namespace-engine-sid")).toHaveText(engineSid);
  }

  // Polling first, then the upgrade to WebSocket, on the same session.
  await expect(card.getByTestId("engine-transport")).toHaveText("websocket");
  await expect(card.getByTestId("engine-upgrade")).toContainText("upgraded to websocket");
  await expect(card.getByTestId("message-log")).toContainText(
    `Engine.IO upgraded: polling → websocket (same sid ${engineSid})`,
  );

  await card.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(card.getByTestId("engine-state")).toHaveText("disconnected");
});

test("an emit with an acknowledgement shows the server's answer and its round trip", async ({
  page,
  card,
}) => {
  await switchToSocketIo(card);
  await card.getByRole("radio", { name: "WebSocket only" }).check();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  // WebSocket from the start: nothing to upgrade.
  await expect(card.getByTestId("engine-transport")).toHaveText("websocket");
  await expect(card.getByTestId("engine-upgrade")).toHaveText(
    "none needed: WebSocket from the start",
  );
  await card.getByRole("checkbox", { name: /Ask for an acknowledgement/ }).check();
  await emit(card, "/", "echo", '"a", {"b": 2}');
  await expect(pane(card, page, "/")).toContainText(/ack for echo after \d+ ms: "a", \{"b":2\}/);

  // Back to a raw WebSocket: the same card connects and sends as before.
  await card.getByRole("switch", { name: "Socket.IO" }).uncheck();
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(card.getByTestId("namespace-pane")).toHaveCount(0);
  await pointCardAt(card, page, "/echo");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Message").fill("raw again");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-log")).toContainText("raw again");
});

test.describe("Socket.IO's own reconnection", () => {
  let other: RunningServer | undefined;
  test.afterEach(async () => {
    await other?.close();
  });

  test("appears on the reconnect timeline, labelled as Socket.IO's, with its backoff", async ({
    playground,
    card,
  }) => {
    // A second server the test can stop and start again on the same port; it allows the
    // page's origin, as a LAN-wide server would.
    other = await startServer({ port: 0, heartbeatMs: 0, allowedOrigins: [playground.url] });
    const port = other.port;
    await switchToSocketIo(card);
    await expect(card.getByRole("checkbox", { name: "Reconnect" })).toBeChecked();
    await card.getByLabel("URL").fill(other.url);
    // The page's CSP lets it reach other servers by WebSocket only: the page says so.
    await expect(card.getByTestId("polling-blocked")).toBeVisible();
    await card.getByRole("radio", { name: "WebSocket only" }).check();
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await expect(card.getByTestId("socketio-backoff")).toContainText("1000 ms");

    await other.close();
    const timeline = card.getByTestId("reconnect-timeline");
    await expect(timeline).toContainText("Socket.IO: attempt 1 closed (transport close)");
    await expect(timeline).toContainText(/Socket\.IO reconnect_attempt 1 after waiting \d\.\d s/);
    await expect(timeline).toContainText("Socket.IO reconnect_error");

    other = await startServer({
      port,
      heartbeatMs: 0,
      allowedOrigins: [playground.url],
    });
    await expect(timeline).toContainText(/Socket\.IO reconnect: back after \d+ attempts?/, {
      timeout: 10_000,
    });
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await expect(card.getByTestId("message-log")).toContainText("Connection attempt 2");
  });
});

test("the chapter's HTML client page gets its script from this server and its answer", async ({
  page,
  playground,
}) => {
  // Every request the page makes, the client script and its polling included, stays here.
  const foreign: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== playground.url) foreign.push(request.url());
  });
  await page.goto("/examples/socketio-client.html");
  await expect(page.getByText("Connected to server")).toBeVisible();
  await expect(page.getByRole("listitem")).toHaveText("Received: Hello, Server!");
  await expect(page.locator("script[src]").first()).toHaveAttribute(
    "src",
    "/examples/socket.io.min.js",
  );
  expect(foreign).toEqual([]);
});

test("a binary argument: hex: in the arguments, a BINARY_EVENT with its attachment, the ack's bytes shown in hex", async ({
  page,
  card,
}) => {
  await switchToSocketIo(card);
  await card.getByRole("radio", { name: "WebSocket only" }).check();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByRole("checkbox", { name: /Ask for an acknowledgement/ }).check();

  // A malformed binary argument is named and stops the emit.
  await card.getByLabel("Message", { exact: true }).fill('"a", hex:0');
  await expect(card.getByRole("alert")).toContainText("Argument 2 (binary)");
  await expect(card.getByRole("button", { name: "Emit", exact: true })).toBeDisabled();

  await emit(card, "/", "echo", '"a", hex:01 02 ff, base64:yv4=');
  await expect(card.getByTestId("event-args-summary")).toHaveText(
    "3 arguments, 2 binary (5 bytes)",
  );
  await expect(pane(card, page, "/")).toContainText(
    /ack for echo after \d+ ms: "a", <binary 3 bytes: 01 02 ff>, <binary 2 bytes: ca fe>/,
  );
  // On the wire: a BINARY_EVENT with two attachments, and a BINARY_ACK back.
  const frameLog = card.getByTestId("frame-log");
  await expect(frameLog).toContainText("BINARY_EVENT · / · echo · ack 0 · 2 attachments");
  await expect(frameLog).toContainText("BINARY_ACK · / · ack 0 · 2 attachments");
});

test("the auth payload travels in every namespace's CONNECT packet", async ({ card }) => {
  await switchToSocketIo(card);
  await card.getByRole("radio", { name: "WebSocket only" }).check();
  const auth = card.getByLabel("Auth payload (JSON object, optional)");
  await auth.fill("[1]");
  await expect(card.getByTestId("auth-hint")).toHaveText(/must be a JSON object/);
  await auth.fill('{"token": "abc"}');
  await expect(card.getByTestId("auth-hint")).toContainText('40{"token":"abc"}');
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expect(auth).toBeDisabled();
  const frameLog = card.getByTestId("frame-log");
  await expect(frameLog).toContainText('40{"token":"abc"}');
  await expect(frameLog).toContainText('40/chat,{"token":"abc"}');
  await expect(frameLog).toContainText('40/news,{"token":"abc"}');
});

test("listening to named events only: other events cross the wire but reach no pane", async ({
  page,
  card,
}) => {
  await switchToSocketIo(card);
  await card.getByRole("radio", { name: "WebSocket only" }).check();
  await expect(card.getByTestId("listen-hint")).toContainText("onAny");
  await card.getByRole("radio", { name: "Listen to the names below only" }).check();
  await card.getByLabel("Names to listen to (comma-separated)").fill("message");
  await expect(card.getByTestId("listen-hint")).toContainText("socket.on(name) for message only");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");

  // A /news tick reaches the browser (the frame log shows it)…
  await expect(card.getByTestId("frame-log")).toContainText("EVENT · /news · tick");
  // …and the answer to a later message, on the same socket, reaches the "/" pane: the tick
  // came before it, yet no listener took it.
  await emit(card, "/", "message", '"Hello"');
  await expect(pane(card, page, "/")).toContainText('message "Received: Hello"');
  await expect(pane(card, page, "/news")).not.toContainText("tick");
});

test("the wire lesson counts the chapter's exchange from the real strings", async ({ card }) => {
  await switchToSocketIo(card);
  const lesson = card.getByTestId("wire-lesson");
  const first = lesson.getByTestId("wire-row").first();
  await expect(first).toContainText('42["message","Hello"] 21 bytes (27 in the frame, header 6)');
  await expect(first).toContainText("Hello 5 bytes (11 in the frame, header 6)");
  await expect(lesson.getByTestId("wire-start")).toContainText("2probe 3probe 5 — 13 bytes");
  await expect(lesson.getByTestId("wire-multiplexing")).toContainText("head-of-line blocking");
});

test("plain text typed as the Message goes as one string, and the page says so", async ({
  page,
  card,
}) => {
  await switchToSocketIo(card);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Message").fill("Hello Server!");
  await expect(card.getByTestId("event-args-summary")).toHaveText(
    "1 argument: your text as one string (it is not JSON)",
  );
  await card.getByRole("button", { name: "Emit" }).click();
  await expect(pane(card, page, "/")).toContainText("Received: Hello Server!");
});
