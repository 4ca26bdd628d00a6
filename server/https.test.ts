import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:http2";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./index.ts";
import { closed, nextMessage, openClient } from "./testing/ws-client.ts";
import {
  createLocalhostCertificate,
  localhostCertificate,
  type TlsCredentials,
} from "./tls-certificate.ts";

let tls: TlsCredentials;
let server: RunningServer;

beforeAll(async () => {
  tls = await createLocalhostCertificate();
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent", https: tls });
});
afterAll(() => server.close());

/** One HTTP/2 request: its :status, headers and body. */
function h2Get(url: string, path: string) {
  const session = connect(url, { ca: tls.cert });
  const stream = session.request({ ":path": path });
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      let body = "";
      let headers: Record<string, unknown> = {};
      stream.on("response", (received) => {
        headers = received;
      });
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      stream.on("end", () => {
        session.close();
        resolve({ status: Number(headers[":status"]), headers, body });
      });
      stream.on("error", reject);
    },
  );
}

describe("https: TLS with HTTP/2 and HTTP/1.1 on one port", () => {
  it("has an https:// URL", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("announces extended CONNECT (RFC 8441) in its HTTP/2 SETTINGS", async () => {
    const session = connect(server.url, { ca: tls.cert });
    const settings = await new Promise<{ enableConnectProtocol?: boolean }>((resolve) =>
      session.once("remoteSettings", resolve),
    );
    session.close();
    expect(settings.enableConnectProtocol).toBe(true);
  });

  it("serves REST over HTTP/2 with the security headers", async () => {
    const health = await h2Get(server.url, "/api/health");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a plain HTTP/2 GET of an endpoint 426, without HTTP/1.1's Upgrade header", async () => {
    const echo = await h2Get(server.url, "/echo");
    expect(echo.status).toBe(426);
    expect(echo.headers.upgrade).toBeUndefined();
    expect(echo.body).toBe("/echo is a WebSocket endpoint: open it with a WebSocket client.\n");
  });

  it("serves HTTP/1.1 over TLS, and its WebSocket upgrades", async () => {
    const status = await new Promise<[number | undefined, string]>((resolve, reject) =>
      get(`${server.url}/api/health`, { ca: tls.cert }, (response) => {
        response.resume();
        resolve([response.statusCode, response.httpVersion]);
      }).on("error", reject),
    );
    expect(status).toEqual([200, "1.1"]);
    const ws = await openClient(`${server.url.replace("https", "wss")}/echo`, undefined, {
      ca: tls.cert,
    });
    ws.send("over TLS");
    expect(await nextMessage(ws)).toEqual({ data: "over TLS", isBinary: false });
    ws.close(1000);
    expect(await closed(ws)).toEqual({ code: 1000, reason: "" });
  });
});

describe("localhostCertificate", () => {
  it("names localhost, 127.0.0.1 and ::1, and is made once then read back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "playground-cert-"));
    try {
      const first = await localhostCertificate(dir);
      expect(first.created).toBe(true);
      const second = await localhostCertificate(dir);
      expect(second.created).toBe(false);
      expect(second.cert).toBe(first.cert);
      expect(readFileSync(join(dir, "localhost-key.pem"), "utf8")).toBe(first.key);
      const x509 = new X509Certificate(first.cert);
      expect(x509.subjectAltName).toBe(
        "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
      );
      expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
