import { request as httpRequest } from "node:http";
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from "../server/index.ts";
import { CHROMIUM_ARGS, findChromium } from "./find-chromium.ts";
import { expect, test } from "./fixtures.ts";

// Chromium resolves these names to this machine, as a rebinding attacker's DNS would. Its
// own Local Network Access checks, which stop a public page's requests to this machine before
// they leave the browser, are off: Firefox and Safari have none, and the server's checks are
// what is tested here.
const executablePath = findChromium();
test.use({
  launchOptions: {
    ...(executablePath ? { executablePath } : {}),
    args: [
      ...CHROMIUM_ARGS,
      "--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1, MAP lan.test 127.0.0.1",
      "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights",
    ],
  },
});

test.describe("the page's response headers", () => {
  test("/ carries a CSP without inline scripts, nosniff, no framing, no referrer", async ({
    page,
  }) => {
    const response = await page.goto("/");
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("no-referrer");
  });

  test("the page works under its CSP: no violation while it connects, echoes and draws", async ({
    page,
  }) => {
    await page.addInitScript(() => {
      const violations: string[] = [];
      Object.assign(window, { cspViolations: violations });
      document.addEventListener("securitypolicyviolation", (event) => {
        violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
      });
    });
    await page.goto("/");
    const card = page.getByTestId("connection-card").first();
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await card.getByLabel("Message").fill("under a strict CSP");
    await card.getByRole("button", { name: "Send", exact: true }).click();
    const toServer = card.getByTestId("frame-log").getByRole("button").filter({
      hasText: "to server",
    });
    await toServer.click();
    await expect(card.getByTestId("frame-diagram")).toContainText("masking key");
    await expect(card.getByTestId("accept-check")).toContainText("✓");
    expect(
      await page.evaluate(() => (window as { cspViolations?: string[] }).cspViolations),
    ).toEqual([]);
  });

  test("another site cannot frame the page", async ({ page, playground }) => {
    await page.route("http://framer.test/", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><iframe src="${playground.url}/" onload="document.title = 'framed'"></iframe>`,
      }),
    );
    const blocked = page.waitForEvent(
      "console",
      (message) => message.type() === "error" && message.text().includes("frame-ancestors"),
    );
    await page.goto("http://framer.test/");
    expect((await blocked).text()).toContain(`Framing '${playground.url}/' violates`);
    await expect(page).toHaveTitle("framed");
    // Chromium shows its error page in the frame instead of the playground.
    expect(page.frames().map((frame) => frame.url())).toEqual([
      "http://framer.test/",
      "chrome-error://chromewebdata/",
    ]);
  });

  test("static paths are read-only: 405 with Allow for other methods", async ({ request }) => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const response = await request.fetch("/", { method });
      expect(response.status(), method).toBe(405);
      expect(response.headers().allow).toBe("GET, HEAD");
      expect(response.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    }
  });
});

test.describe("DNS rebinding", () => {
  test("the server refuses the page under a name that is not its own (421)", async ({
    page,
    playground,
  }) => {
    const response = await page.goto(`http://rebind.attacker.example:${playground.port}/`);
    expect(response?.status()).toBe(421);
    expect(await response?.text()).toContain(
      `Host rebind.attacker.example:${playground.port} does not name this server`,
    );
  });

  test("a rebound attacker's page can neither open a WebSocket nor call the API", async ({
    page,
    playground,
  }) => {
    // The attacker's page was served while its name still pointed to the attacker; now the
    // name points to this machine and the page talks to its "own" origin.
    const attacker = `http://rebind.attacker.example:${playground.port}`;
    await page.route(`${attacker}/`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>attacker</title>" }),
    );
    await page.goto(`${attacker}/`);
    // Scripts see only 1006 for a refused handshake; the console names the server's answer.
    const refused = page.waitForEvent("console", (message) =>
      message.text().includes("WebSocket connection to"),
    );
    const outcome = await page.evaluate(async (origin) => {
      const api = await fetch(`${origin}/api/health`);
      const socket = new WebSocket(`${origin.replace("http", "ws")}/echo`);
      const opened = await new Promise<string>((resolve) => {
        socket.onopen = () => resolve("open");
        socket.onclose = (event) => resolve(`closed ${event.code}`);
      });
      return { api: api.status, socket: opened };
    }, attacker);
    expect(outcome).toEqual({ api: 421, socket: "closed 1006" });
    expect((await refused).text()).toContain("Unexpected response code: 421");
  });

  test("Node's HTTP client with the rebinding Host and Origin gets 421 on a handshake", async ({
    playground,
  }) => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${playground.url}/echo`, {
        headers: {
          Host: "rebind.attacker.example",
          Origin: "http://rebind.attacker.example",
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
      });
      req.on("upgrade", (response, socket) => {
        socket.destroy();
        resolve(response.statusCode ?? 0);
      });
      req.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

test.describe("a page opened from a LAN name over plain HTTP", () => {
  let lanServer: RunningServer | undefined;
  test.afterEach(async () => {
    await lanServer?.close();
    lanServer = undefined;
  });

  test("is not a secure context, and still checks Sec-WebSocket-Accept", async ({ page }) => {
    // A name, not an address, so that it must be in ALLOWED_HOSTS.
    const options = {
      port: 0,
      heartbeatMs: 0,
      allowedHosts: ["lan.test"],
      staticDir: process.env.E2E_STATIC_DIR ?? DEFAULT_STATIC_DIR,
    };
    lanServer = await startServer(options);
    await page.goto(`http://lan.test:${lanServer.port}/`);
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle])).toEqual([
      false,
      "undefined",
    ]);
    const card = page.getByTestId("connection-card").first();
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await expect(card.getByTestId("accept-check")).toContainText(
      "✓ Sec-WebSocket-Accept checks out",
    );
  });
});
