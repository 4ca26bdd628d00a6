import { IncomingMessage } from "node:http";
import { connect as netConnect, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandshakeEvent, InspectorEvent } from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { inspectUntilEnd } from "../testing/ws-client.ts";
import { versionRefusal } from "./websocket-version.ts";

let server: RunningServer;
let tapCounter = 0;
const newTap = () => `version-${++tapCounter}-${Date.now()}`;

beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
});
afterAll(() => server.close());

/** Sends `head` on a raw TCP connection; resolves with all the server sent before closing. */
function rawExchange(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(server.port, "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (data: string) => {
      received += data;
    });
    socket.on("connect", () => socket.write(head));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

const handshakeHead = (target: string, version: string | null, httpVersion = "1.1") =>
  [
    `GET ${target} HTTP/${httpVersion}`,
    `Host: 127.0.0.1:${server.port}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    ...(version === null ? [] : [`Sec-WebSocket-Version: ${version}`]),
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "",
    "",
  ].join("\r\n");

const refusal = (status: string, headers: string[], reason: string) => {
  const body = `${reason}\n`;
  return [
    `HTTP/1.1 ${status}`,
    ...headers,
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
};

const UPGRADE_REQUIRED = [
  "Sec-WebSocket-Version: 13",
  "Upgrade: websocket",
  "Connection: Upgrade, close",
];

describe("the WebSocket version, over HTTP/1.1", () => {
  it.each(["7", "8", "12", "14", "abc", "13, 8"])(
    "answers Sec-WebSocket-Version %s with 426 and the version spoken",
    async (version) => {
      const answer = await rawExchange(handshakeHead("/echo", version));
      expect(answer).toBe(
        refusal(
          "426 Upgrade Required",
          UPGRADE_REQUIRED,
          `Sec-WebSocket-Version ${version} is not spoken here: this server speaks WebSocket version 13 only (RFC 6455 §4.4).`,
        ),
      );
    },
  );

  it("answers a handshake naming no version with 426 too", async () => {
    const answer = await rawExchange(handshakeHead("/echo", null));
    expect(answer).toBe(
      refusal(
        "426 Upgrade Required",
        UPGRADE_REQUIRED,
        "The handshake names no Sec-WebSocket-Version: this server speaks WebSocket version 13 only (RFC 6455 §4.4).",
      ),
    );
  });

  it("checks the version on every WebSocket path: endpoints, /inspect, Socket.IO, unknown paths", async () => {
    for (const target of [
      "/ws",
      "/mux",
      "/inspect?tap=abcdefgh",
      "/nowhere",
      "/socket.io/?EIO=4&transport=websocket",
    ]) {
      const answer = await rawExchange(handshakeHead(target, "8"));
      expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 426 Upgrade Required");
    }
  });

  it("opens version 13 as before", async () => {
    const result = await rawHandshake(`${server.url}/echo`);
    expect(result.status).toBe(101);
  });

  it("refuses an upgrade over HTTP/1.0 with 400 and a reason", async () => {
    const answer = await rawExchange(handshakeHead("/echo", "13", "1.0"));
    expect(answer).toBe(
      refusal(
        "400 Bad Request",
        ["Connection: close"],
        "A WebSocket handshake needs HTTP/1.1 or higher (RFC 6455 §4.1); this request is HTTP/1.0.",
      ),
    );
  });

  it("still lets the Host and Origin checks answer first", async () => {
    const result = await rawHandshake(`${server.url}/echo`, {
      "Sec-WebSocket-Version": "8",
      Origin: "https://evil.example",
    });
    expect(result.status).toBe(403);
  });

  it("records the refusal for its tap, headers and reason included", async () => {
    const tap = newTap();
    await rawExchange(handshakeHead(`/echo?tap=${tap}`, "8"));
    const events: InspectorEvent[] = await inspectUntilEnd(
      `${server.url.replace("http", "ws")}/inspect?tap=${tap}`,
    );
    expect(events.map((event) => event.type)).toEqual(["handshake", "end"]);
    const handshake = events[0] as HandshakeEvent;
    expect(handshake.response.status).toBe(426);
    expect(handshake.response.headers).toContainEqual(["Sec-WebSocket-Version", "13"]);
    expect(handshake.response.body).toBe(
      "Sec-WebSocket-Version 8 is not spoken here: this server speaks WebSocket version 13 only (RFC 6455 §4.4).\n",
    );
  });
});

describe("versionRefusal", () => {
  const requestWith = (httpVersion: string, version?: string) => {
    const request = new IncomingMessage(new Socket());
    request.httpVersion = httpVersion;
    request.httpVersionMajor = Number(httpVersion.split(".")[0]);
    request.httpVersionMinor = Number(httpVersion.split(".")[1]);
    request.headers = version === undefined ? {} : { "sec-websocket-version": version };
    return request;
  };

  it("passes version 13 over HTTP/1.1 and HTTP/2", () => {
    expect(versionRefusal(requestWith("1.1", "13"), "h1")).toBeUndefined();
    expect(versionRefusal(requestWith("2.0", "13"), "h2")).toBeUndefined();
  });

  it("answers another version over HTTP/2 with 400 and the header, since 426 needs Upgrade", () => {
    expect(versionRefusal(requestWith("2.0", "8"), "h2")).toEqual({
      status: 400,
      reason:
        "Sec-WebSocket-Version 8 is not spoken here: this server speaks WebSocket version 13 only (RFC 6455 §4.4).",
      headers: [["sec-websocket-version", "13"]],
    });
  });

  it("keeps a long version value's quote short", () => {
    const refused = versionRefusal(requestWith("1.1", "9".repeat(100)), "h1");
    expect(refused?.reason).toContain(`${"9".repeat(32)}…`);
    expect(refused?.reason).not.toContain("9".repeat(33));
  });
});
