import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { refuseHandshake } from "./handshake-response.ts";
import { createRequestGuard } from "./request-guard.ts";
import { CONTENT_SECURITY_POLICY } from "./security-headers.ts";
import { rawHandshake } from "./testing/raw-handshake.ts";

// A server wired as server/index.ts wires the guard: first thing for every request and
// every upgrade.
let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  const guard = createRequestGuard({
    boundHost: "127.0.0.1",
    allowedHosts: ["playground.lan"],
    allowedOrigins: ["http://tools.example"],
  });
  const wss = new WebSocketServer({ noServer: true });
  server = createServer((request, response) => {
    if (guard.answerRefusedHttp(request, response)) return;
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end('{"ok":true}');
  });
  server.on("upgrade", (request, socket, head) => {
    const refusal = guard.handshakeRefusal(request);
    if (refusal) {
      refuseHandshake(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => ws.close(1000));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

/** A GET with exactly these headers; resolves with status, headers and body. */
function get(headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(`${base}/api/health`, { headers }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

const rebinding = {
  Host: "rebind.attacker.example",
  Origin: "http://rebind.attacker.example",
};

describe("a DNS-rebinding page (Origin and Host both rebind.attacker.example)", () => {
  it("is refused its WebSocket handshake with 421 and a plain reason", async () => {
    const answer = await rawHandshake(`${base}/echo`, rebinding);
    expect(answer.status).toBe(421);
    expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(answer.body).toBe(
      "Host rebind.attacker.example does not name this server (a guard against DNS rebinding): open it as localhost, 127.0.0.1 or an address it listens on, or allow that name with --allowed-hosts / ALLOWED_HOSTS.\n",
    );
  });

  it("is refused REST and the page with 421, security headers included", async () => {
    const answer = await get(rebinding);
    expect(answer.status).toBe(421);
    expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.body).toMatch(/^Host rebind\.attacker\.example does not name this server.*\n$/);
  });
});

describe("an HTTP/2 request", () => {
  it("is judged by its :authority, which replaces Host", () => {
    const guard = createRequestGuard({
      boundHost: "127.0.0.1",
      allowedHosts: [],
      allowedOrigins: [],
    });
    const rebound = {
      ":authority": "rebind.attacker.example",
      origin: "https://rebind.attacker.example",
    };
    expect(guard.handshakeRefusal({ headers: rebound })?.status).toBe(421);
    const own = { ":authority": "localhost:8443", origin: "https://localhost:8443" };
    expect(guard.handshakeRefusal({ headers: own })).toBeUndefined();
  });
});

describe("requests that name this server", () => {
  it("open a WebSocket from the page's own origin, loopback or ALLOWED_HOSTS", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `playground.lan:${port}`]) {
      const answer = await rawHandshake(`${base}/echo`, { Host: host, Origin: `http://${host}` });
      expect(answer.status, host).toBe(101);
    }
  });

  it("get REST answers with the security headers", async () => {
    const answer = await get({ Host: `localhost:${port}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"ok":true}');
    expect(answer.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
  });

  it("still need an allowed Origin: a foreign page gets 403", async () => {
    const answer = await rawHandshake(`${base}/echo`, {
      Host: `127.0.0.1:${port}`,
      Origin: "http://evil.example",
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toBe(
      "Origin http://evil.example is not allowed: only this server's own page, clients without an Origin and ALLOWED_ORIGINS may connect.\n",
    );
    const allowed = await rawHandshake(`${base}/echo`, {
      Host: `127.0.0.1:${port}`,
      Origin: "http://tools.example",
    });
    expect(allowed.status).toBe(101);
  });

  it("from a client without an Origin open whatever the path", async () => {
    const answer = await rawHandshake(`${base}/echo`, { Host: `127.0.0.1:${port}` });
    expect(answer.status).toBe(101);
  });
});
