import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../protocol/endpoint-catalogue.ts";
import type { HandshakeEvent } from "../../protocol/inspector-events.ts";
import { negotiationVerdict, type VerdictInput } from "./verdict.ts";

const base: VerdictInput = {
  url: "ws://127.0.0.1:8000/echo?tap=tap-12345",
  pageHost: "127.0.0.1:8000",
  pageProtocol: "http:",
  offered: ["json"],
  phase: "failed",
  protocol: "",
  extensions: "",
  tapId: "tap-12345",
  handshake: null,
  serverRecord: "waiting",
  endpoints: ENDPOINTS,
};

/** The server's record of a handshake it answered with `status` and `body`. */
function recorded(
  status: number,
  body: string | undefined,
  request: Partial<HandshakeEvent["request"]> = {},
  responseHeaders: HandshakeEvent["response"]["headers"] = [],
): Pick<VerdictInput, "handshake" | "serverRecord"> {
  return {
    serverRecord: "recorded",
    handshake: {
      type: "handshake",
      tap: "tap-12345",
      at: 0,
      request: {
        method: "GET",
        url: "/echo?tap=tap-12345",
        httpVersion: "1.1",
        headers: [
          ["Host", "127.0.0.1:8000"],
          ["Origin", "http://127.0.0.1:8000"],
        ],
        ...request,
      },
      response: {
        status,
        statusText: "",
        headers: responseHeaders,
        ...(body === undefined ? {} : { body: `${body}\n` }),
      },
      protocol: "",
      extensions: "",
      transport: "h1",
      connection: "c1",
    },
  };
}

describe("negotiationVerdict once open", () => {
  it("names the match", () => {
    const verdict = negotiationVerdict({ ...base, phase: "open", protocol: "json" });
    expect(verdict).toMatchObject({ tone: "ok", title: "Matched 'json'." });
  });

  it("says plain WebSocket when nothing was offered and nothing agreed", () => {
    const verdict = negotiationVerdict({ ...base, offered: [], phase: "open" });
    expect(verdict.title).toBe("No subprotocol offered: plain WebSocket.");
  });

  it("names permessage-deflate instead of calling it plain", () => {
    const extensions = "permessage-deflate; client_max_window_bits=15";
    const verdict = negotiationVerdict({ ...base, offered: [], phase: "open", extensions });
    expect(verdict.title).toBe("Open with permessage-deflate, and no subprotocol.");
    expect(verdict.title + verdict.detail).not.toContain("plain");
    expect(verdict.detail).toContain(`socket.extensions: ${extensions}`);
    expect(verdict.detail).toContain("compressed (RFC 7692)");
  });

  it("names the extension beside a matched subprotocol", () => {
    const verdict = negotiationVerdict({
      ...base,
      phase: "open",
      protocol: "json",
      extensions: "permessage-deflate",
    });
    expect(verdict.title).toBe("Matched 'json'.");
    expect(verdict.detail).toContain("accepted the extension permessage-deflate");
  });
});

describe("negotiationVerdict from the server's record", () => {
  it("403: the Origin and Host the request carried, and the server's reason", () => {
    const verdict = negotiationVerdict({
      ...base,
      ...recorded(403, "Origin http://localhost:8000 is not allowed.", {
        headers: [
          ["Host", "127.0.0.1:8000"],
          ["Origin", "http://localhost:8000"],
        ],
      }),
    });
    expect(verdict.title).toBe("The server refused this page's Origin: HTTP 403.");
    expect(verdict.detail).toContain("Origin http://localhost:8000 to Host 127.0.0.1:8000");
    expect(verdict.detail).toContain("Its reason: Origin http://localhost:8000 is not allowed.");
    expect(verdict.detail).toContain("RFC 6455 §4.1");
  });

  it("421: the Host name the server does not answer to", () => {
    const verdict = negotiationVerdict({
      ...base,
      ...recorded(421, "This server does not answer to rebind.example.", {
        headers: [["Host", "rebind.example:8000"]],
      }),
    });
    expect(verdict.title).toBe(
      "The server does not answer to the name rebind.example:8000: HTTP 421.",
    );
    expect(verdict.detail).toContain("DNS rebinding");
  });

  it("404: the path that has no endpoint", () => {
    const verdict = negotiationVerdict({
      ...base,
      url: "ws://127.0.0.1:8000/nowhere?tap=tap-12345",
      ...recorded(404, "No WebSocket endpoint at /nowhere.", { url: "/nowhere?tap=tap-12345" }),
    });
    expect(verdict.title).toBe("No WebSocket endpoint at /nowhere: HTTP 404.");
    expect(verdict.detail).toContain("Its reason: No WebSocket endpoint at /nowhere.");
  });

  it("431: how large the request line and headers were", () => {
    const url = `/echo?pad=${"x".repeat(20_000)}&tap=tap-12345`;
    const verdict = negotiationVerdict({
      ...base,
      ...recorded(431, "The request line and headers exceed the 16,384 bytes.", {
        url,
        headers: [["Host", "127.0.0.1:8000"]],
      }),
    });
    expect(verdict.title).toBe("The request's head was too large: HTTP 431.");
    // "GET " + 20,024-character URL + " HTTP/1.1\r\n"; "Host: 127.0.0.1:8000\r\n".
    expect(verdict.detail).toContain(
      "request line took 20,039 bytes and the headers the server read 22 more",
    );
  });

  it("503: temporary, with the server's reason", () => {
    const verdict = negotiationVerdict({
      ...base,
      ...recorded(503, "The server is shutting down."),
    });
    expect(verdict.title).toBe("The server is unavailable for now: HTTP 503.");
    expect(verdict.detail).toContain("Its reason: The server is shutting down.");
  });

  it("400: the reason the server sent wins over the replay", () => {
    const verdict = negotiationVerdict({
      ...base,
      url: "ws://127.0.0.1:8000/echo?require=1&tap=tap-12345",
      offered: ["mqtt"],
      ...recorded(400, "What the server really said."),
    });
    expect(verdict.title).toBe("The server refused the handshake: HTTP 400.");
    expect(verdict.detail).toContain("Its reason: What the server really said.");
  });

  it("101 without the offered subprotocol: the browser refused", () => {
    const verdict = negotiationVerdict({ ...base, offered: ["mqtt"], ...recorded(101, undefined) });
    expect(verdict.title).toBe("The server chose none, so your browser refused the connection.");
  });

  it("101 naming an unoffered subprotocol: the browser refused", () => {
    const verdict = negotiationVerdict({
      ...base,
      offered: ["chat.v2"],
      ...recorded(101, undefined, {}, [["Sec-WebSocket-Protocol", "chat.v1"]]),
    });
    expect(verdict.title).toContain("'chat.v1', which you did not offer");
  });

  it("no record at all: nothing reached the server as HTTP", () => {
    const verdict = negotiationVerdict({ ...base, serverRecord: "absent" });
    expect(verdict.title).toBe("No HTTP request reached the server.");
    expect(verdict.detail).toContain("tap id tap-12345");
  });
});

describe("negotiationVerdict before or without a record", () => {
  it("replays a 400 while the record is on its way", () => {
    const verdict = negotiationVerdict({
      ...base,
      url: "ws://127.0.0.1:8000/echo?require=1",
      offered: ["mqtt"],
    });
    expect(verdict.title).toBe("The server refused the handshake: HTTP 400.");
    expect(verdict.detail).toContain("No offered subprotocol is accepted here");
  });

  it("replays a missing match", () => {
    const verdict = negotiationVerdict({ ...base, offered: ["mqtt"] });
    expect(verdict.title).toBe("The server chose none, so your browser refused the connection.");
    expect(verdict.detail).toContain("'chat.v2', 'chat.v1', 'json'");
  });

  it("replays an unoffered answer", () => {
    const verdict = negotiationVerdict({ ...base, url: `${base.url}&misbehave=unoffered` });
    expect(verdict.title).toContain("'chat.v2', which you did not offer");
  });

  it("waits for the record when the replay finds nothing wrong", () => {
    const verdict = negotiationVerdict(base);
    expect(verdict.title).toBe("The connection failed before it opened (close code 1006).");
    expect(verdict.detail).toContain("Waiting for the server's record");
  });

  it("wss: to this plain-HTTP page's own port: TLS, never HTTP", () => {
    const verdict = negotiationVerdict({ ...base, url: "wss://127.0.0.1:8000/echo?tap=tap-12345" });
    expect(verdict.title).toBe("wss: to a port that speaks plain HTTP: the TLS handshake failed.");
    expect(verdict.detail).toContain("use ws://127.0.0.1:8000/echo");
    expect(verdict.detail).not.toContain("confirms");
    const confirmed = negotiationVerdict({
      ...base,
      url: "wss://127.0.0.1:8000/echo?tap=tap-12345",
      serverRecord: "absent",
    });
    expect(confirmed.detail).toContain("The server confirms it received no HTTP request");
  });

  it("wss: from an https: page is not called TLS to a plain port", () => {
    const verdict = negotiationVerdict({
      ...base,
      pageProtocol: "https:",
      url: "wss://127.0.0.1:8000/echo?tap=tap-12345",
    });
    expect(verdict.title).not.toContain("plain HTTP");
  });

  it("another server: says what cannot be known, and no server record is awaited", () => {
    const verdict = negotiationVerdict({
      ...base,
      url: "ws://127.0.0.1:9/echo",
      tapId: "",
      serverRecord: "untapped",
    });
    expect(verdict.title).toBe(
      "The connection to 127.0.0.1:9 failed before it opened: close code 1006, no reason.",
    );
    expect(verdict.detail).toContain("cannot tell whether nothing listens there");
    expect(verdict.detail).not.toContain("Waiting");
  });

  it("a constructor error: no request was made", () => {
    const verdict = negotiationVerdict({
      ...base,
      constructError: "The subprotocol 'a b' is invalid.",
      tapId: "",
      serverRecord: "untapped",
    });
    expect(verdict.title).toBe("Your browser refused to start the connection.");
    expect(verdict.detail).toContain("No request was sent");
    expect(verdict.detail).not.toContain("Waiting");
  });
});
