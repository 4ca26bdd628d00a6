import { describe, expect, it } from "vitest";
import type { HttpEvent } from "../../protocol/inspector-events.ts";
import { httpRowText, shortHttpUrl } from "./http-row.ts";

const base: HttpEvent = {
  type: "http",
  tap: "t",
  at: 0,
  dir: "out",
  exchange: 1,
  connection: "c1",
  method: "GET",
  url: "/socket.io/?tap=abc&EIO=4&transport=polling&t=PqR5",
  status: 200,
  body: '0{"sid":"AbC"}',
  bodyLength: 14,
  labels: ["open · sid AbC"],
};

describe("HTTP rows of the frame log", () => {
  it("leave the tap id and the timestamp out of the URL", () => {
    expect(shortHttpUrl(base.url)).toBe("/socket.io/?EIO=4&transport=polling");
    expect(shortHttpUrl("/socket.io/?EIO=4&transport=polling&sid=x&t=1")).toBe(
      "/socket.io/?EIO=4&transport=polling&sid=x",
    );
  });

  it("say method, URL, status, the packets carried, then the raw body", () => {
    const text = httpRowText(base);
    expect(`${text.request}${text.labels} ${text.body}`).toBe(
      'GET /socket.io/?EIO=4&transport=polling · 200 · open · sid AbC 0{"sid":"AbC"}',
    );
    expect(text.hasError).toBe(false);
  });

  it("show a POST's body size, separators as ␞, and errors", () => {
    const text = httpRowText({
      ...base,
      dir: "in",
      method: "POST",
      status: undefined,
      body: "40\x1e42[bad",
      bodyLength: 9,
      labels: ["message · CONNECT · /", "⚠ socket.io: The data after EVENT / is not JSON."],
    });
    expect(text.request).toBe("POST /socket.io/?EIO=4&transport=polling · 9 bytes · ");
    expect(text.body).toBe("40␞42[bad");
    expect(text.labels).toBe(
      "message · CONNECT · / ; ⚠ socket.io: The data after EVENT / is not JSON.",
    );
    expect(text.hasError).toBe(true);
  });

  it("say when a response never went out", () => {
    const text = httpRowText({
      ...base,
      status: undefined,
      aborted: true,
      body: "",
      bodyLength: 0,
      labels: [],
    });
    expect(text.request).toBe("GET /socket.io/?EIO=4&transport=polling · no answer · cut off");
  });
});
