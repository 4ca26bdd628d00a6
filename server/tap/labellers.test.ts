import { describe, expect, it } from "vitest";
import { type LabellerEntry, labellerFor, safeBodyLabels, safeLabel } from "./labellers.ts";

describe("labellerFor", () => {
  it("decodes Engine.IO and Socket.IO under /socket.io/ only", () => {
    expect(labellerFor({ path: "/echo", protocol: "" })).toBeUndefined();
    expect(labellerFor({ path: "/echo", protocol: "json" })).toBeUndefined();
    const labellers = labellerFor({ path: "/socket.io/", protocol: "" });
    expect(labellers?.layer).toBe("socket.io");
    expect(labellers?.in.message('42/chat,["said",{"text":"hi"}]')).toBe(
      "message · EVENT · /chat · said",
    );
    expect(labellers?.out.message("3probe")).toBe("pong · probe");
  });

  it("keeps state per direction: attachments join their packet, errors are labelled", () => {
    const labellers = labellerFor({ path: "/socket.io/", protocol: "" });
    if (!labellers) throw new Error("no labellers");
    expect(labellers.in.message('451-["up",{"_placeholder":true,"num":0}]')).toBe(
      "message · BINARY_EVENT · / · up · waiting for attachment 1 of 1",
    );
    // The other direction knows nothing of it.
    expect(labellers.out.message(Uint8Array.of(1))).toBe(
      "⚠ socket.io: A binary message (1 bytes) that no BINARY_EVENT or BINARY_ACK announced.",
    );
    expect(labellers.in.message(Uint8Array.of(1, 2))).toBe(
      "message · BINARY_EVENT · / · up · 1 attachment",
    );
    // A binary packet abandoned by a text packet: both said, in one label.
    labellers.in.message('451-["up",{"_placeholder":true,"num":0}]');
    expect(labellers.in.message("2")).toBe("ping");
    expect(labellers.in.message('42["x"]')).toBe(
      "⚠ socket.io: BINARY_EVENT / announced 1 attachment(s) but a text packet came after 0. ; message · EVENT · / · x",
    );
    expect(labellers.in.message("")).toBe("⚠ engine.io: An empty packet has no type.");
  });

  it("labels polling bodies that carry packets: a POST's request, a GET's 200 response", () => {
    const labellers = labellerFor({ path: "/socket.io/", protocol: "" });
    const body = "40\x1e2\x1ebAQI=";
    expect(labellers?.in.body?.(body, { method: "POST" })).toEqual([
      "message · CONNECT · /",
      "ping",
      "⚠ socket.io: A binary message (2 bytes) that no BINARY_EVENT or BINARY_ACK announced.",
    ]);
    expect(labellers?.in.body?.("", { method: "GET" })).toEqual([]);
    expect(labellers?.out.body?.("ok", { method: "POST", status: 200 })).toEqual([]);
    expect(labellers?.out.body?.("Origin refused", { method: "GET", status: 403 })).toEqual([]);
    expect(labellers?.out.body?.("6", { method: "GET", status: 200 })).toEqual(["noop"]);
  });

  it("takes new protocols as entries, first match wins", () => {
    const entries: LabellerEntry[] = [
      {
        layer: "mux.v1",
        matches: ({ protocol }) => protocol === "mux.v1",
        create: () => ({ in: { message: () => "in" }, out: { message: () => "out" } }),
      },
    ];
    expect(labellerFor({ path: "/mux", protocol: "mux.v1" }, entries)?.layer).toBe("mux.v1");
    expect(labellerFor({ path: "/mux", protocol: "" }, entries)).toBeUndefined();
  });

  it("labels mux.v1 messages by channel on a connection that negotiated it", () => {
    const mux = labellerFor({ path: "/mux", protocol: "mux.v1" });
    expect(mux?.layer).toBe("mux.v1");
    expect(mux?.in.message('{"op":"data","ch":3,"data":"hi"}')).toMatch(/^channel 3 · data/);
    expect(mux?.out.message("not json")).toMatch(/^⚠ mux/);
    expect(labellerFor({ path: "/echo", protocol: "" })).toBeUndefined();
  });

  it("never lets a labeller break the tap, and bounds what it says", () => {
    expect(
      safeLabel("x", () => {
        throw new Error("boom");
      }),
    ).toBe("⚠ x: the decoder failed (boom)");
    expect(safeLabel("x", () => "y".repeat(500))).toHaveLength(200);
    const many = safeBodyLabels("x", 4, () => ["a", "b", "c", "d", "e", "f"]);
    expect(many).toEqual(["a", "b", "c", "… 3 more packets"]);
    expect(safeBodyLabels("x", 4, () => ["a", "b", "c", "d"])).toEqual(["a", "b", "c", "d"]);
    const long = safeBodyLabels("x", 64, () => Array.from({ length: 40 }, () => "y".repeat(300)));
    expect(long).toHaveLength(11);
    expect(long.at(-1)).toBe("… 30 more packets");
    expect(long.join("").length).toBeLessThan(2100);
  });
});
