import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "./security-headers.ts";
import { createStaticHandler } from "./static-handler.ts";

let appDir: string;
const servers: Server[] = [];

beforeAll(() => {
  appDir = mkdtempSync(join(tmpdir(), "static-handler-"));
  writeFileSync(join(appDir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(appDir, "app.js"), "export {};");
});
afterAll(async () => {
  await Promise.all(
    servers.map((server) => new Promise<void>((closed) => server.close(() => closed()))),
  );
  rmSync(appDir, { recursive: true, force: true });
});

async function serve(staticDir: string): Promise<string> {
  const server = createServer(createStaticHandler(staticDir));
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function send(url: string, method: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(url, { method }, (response) => {
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

describe("createStaticHandler", () => {
  it("serves the page with its security headers", async () => {
    const answer = await send(`${await serve(appDir)}/`, "GET");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("<!doctype html><title>app</title>");
    expect(answer.headers).toMatchObject({
      "content-security-policy": CONTENT_SECURITY_POLICY,
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    });
  });

  it("serves assets and answers HEAD without a body", async () => {
    const base = await serve(appDir);
    const asset = await send(`${base}/app.js`, "GET");
    expect(asset.body).toBe("export {};");
    expect(asset.headers["x-content-type-options"]).toBe("nosniff");
    const head = await send(`${base}/app.js`, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("opens the app for any path (a scenario link)", async () => {
    const answer = await send(`${await serve(appDir)}/some/scenario`, "GET");
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("<title>app</title>");
  });

  it.each(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])(
    "answers %s with 405, Allow and a plain reason",
    async (method) => {
      const answer = await send(`${await serve(appDir)}/index.html`, method);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD");
      expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.body).toBe(
        `${method} is not allowed here: the page and its files are only read, with GET or HEAD.\n`,
      );
    },
  );

  it("says how to build the app when it is missing", async () => {
    const answer = await send(`${await serve(join(appDir, "missing"))}/`, "GET");
    expect(answer.status).toBe(503);
    expect(answer.body).toBe(
      "The app is not built: run `npm run build` (npm start does it for you).\n",
    );
  });
});
