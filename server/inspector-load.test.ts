import { type ChildProcess, spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { startServer } from "./index.ts";
import { MAX_INSPECTORS_PER_TAP, TAP_EVENT_CAPACITY } from "./tap/tap-record.ts";
import { openClient } from "./testing/ws-client.ts";

const TAPS = 4;
/** More than a tap keeps, so every inspector is told of a gap before its replay. */
const STREAMED = 30_000;

/**
 * No single client slows the server down for the rest, inspectors included: 32 inspectors (8,
 * the cap, on each of 4 full taps; half JSON, half binary) replaying at once, while
 * `/api/health` is polled from another process and answers fast every time. Every inspector
 * gets every event its tap holds, after a gap event for the ones the ring no longer holds.
 */
describe("under 32 inspectors replaying full taps", () => {
  it("no turn of the event loop takes more than 80 ms of CPU, /api/health answers all along, and every inspector gets all events", async () => {
    const server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
    const wsBase = server.url.replace("http", "ws");
    const children: ChildProcess[] = [];
    try {
      const taps = Array.from({ length: TAPS }, (_, index) => `inspector-load-${index}`);
      await Promise.all(taps.map((tap) => fillTap(wsBase, tap)));
      const totals = await Promise.all(
        taps.map(async (tap) => {
          const info = await (await fetch(`${server.url}/api/taps/${tap}`)).json();
          return info.events as number;
        }),
      );

      // Both clients run in processes of their own, as real ones would: this thread is the
      // server's alone, and the poller's timing is not delayed by the inspectors' parsing.
      const poller = lineChild(POLLER_SCRIPT, [`${server.url}/api/health`]);
      children.push(poller.child);
      await poller.line((line) => line === "ready");

      const urls = taps.flatMap((tap) =>
        Array.from(
          { length: MAX_INSPECTORS_PER_TAP },
          (_, index) => `${wsBase}/inspect?tap=${tap}${index % 2 ? "&format=binary" : ""}`,
        ),
      );
      const turns = cpuPerTurnSampler();
      const inspectors = lineChild(INSPECTORS_SCRIPT, urls);
      children.push(inspectors.child);
      const results: string[] = [];
      await inspectors.line((line) => {
        if (line.startsWith("done ")) results.push(line);
        return results.length === urls.length || line.startsWith("closed ");
      });
      const longestTurnMs = turns.stop();
      poller.child.stdin?.end();
      const healthLine = await poller.line((line) => line.startsWith("health "));

      const healthTimes = healthLine.slice("health ".length).split(",").map(Number);
      // Polled all along the replay (every 5 ms, each waiting for the last).
      expect(healthTimes.length).toBeGreaterThan(10);
      // What delays /api/health is the longest stretch of work the server does without
      // returning to its event loop. Measured as CPU time, not wall time, so that a machine
      // busy with other work (which delays every answer alike) cannot fail the test, and a
      // server that does too much in one turn (all 32 replays at once took ~250 ms) cannot pass.
      expect(
        longestTurnMs,
        `health answers took up to ${Math.max(...healthTimes)} ms`,
      ).toBeLessThan(80);

      expect(results).toHaveLength(urls.length);
      for (const result of results) {
        const [, index, events, dropped] = result.split(" ").map(Number);
        const total = totals[Math.floor((index as number) / MAX_INSPECTORS_PER_TAP)] as number;
        expect({ events, dropped }).toEqual({
          events: TAP_EVENT_CAPACITY,
          dropped: total - TAP_EVENT_CAPACITY,
        });
      }
    } finally {
      for (const child of children) child.kill();
      await server.close();
    }
  }, 30_000);
});

/** Streams STREAMED messages over a connection tapped as `tap`, and waits for its end. */
async function fillTap(wsBase: string, tap: string): Promise<void> {
  const client = await openClient(
    `${wsBase}/stream?count=${STREAMED}&rate=100000&size=16&tap=${tap}`,
  );
  await new Promise((resolve) => client.once("close", resolve));
}

/**
 * One inspector per URL argument. Binary batches are counted from their header (u32 count at
 * byte 4); text messages are single events, a gap's `dropped` is added up apart. Each
 * inspector says `done INDEX EVENTS DROPPED` when its tap's `end` event arrives.
 */
const INSPECTORS_SCRIPT = `
const WebSocket = require("ws");
process.argv.slice(1).forEach((url, index) => {
  const ws = new WebSocket(url);
  let events = 0;
  let dropped = 0;
  ws.on("message", (data, isBinary) => {
    if (isBinary) {
      events += data.readUInt32LE(4);
      return;
    }
    const text = data.toString();
    if (text.startsWith('{"type":"gap"')) {
      dropped += JSON.parse(text).dropped;
      return;
    }
    events += 1;
    if (text.startsWith('{"type":"end"')) {
      process.stdout.write("done " + index + " " + events + " " + dropped + "\\n");
      ws.close();
    }
  });
  ws.on("close", (code) => {
    if (code !== 1005) process.stdout.write("closed " + index + " " + code + "\\n");
  });
  ws.on("error", (error) => process.stdout.write("closed " + index + " " + error.message + "\\n"));
});
`;

/**
 * Polls a URL every 5 ms on one kept-alive connection (after 20 polls to warm up, then says
 * \`ready\`) until its stdin ends, then prints \`health\` and every poll's time in ms.
 */
const POLLER_SCRIPT = `
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = process.argv[1];
const times = [];
let stopped = false;
process.stdin.on("end", () => { stopped = true; });
process.stdin.resume();
function poll(warmUps) {
  if (stopped) {
    process.stdout.write("health " + times.join(",") + "\\n");
    process.exit(0);
  }
  const started = performance.now();
  http.get(url, { agent }, (response) => {
    response.resume();
    response.on("end", () => {
      if (warmUps > 0) {
        if (warmUps === 1) process.stdout.write("ready\\n");
      } else {
        times.push(performance.now() - started);
      }
      setTimeout(() => poll(warmUps - 1), warmUps > 0 ? 0 : 5);
    });
  });
}
poll(20);
`;

/**
 * Samples this process's CPU time every millisecond of the event loop; `stop()` gives the most
 * CPU used between two samples: the longest turn's work (plus whatever GC did meanwhile).
 */
function cpuPerTurnSampler(): { stop(): number } {
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let last = cpu();
  let longest = 0;
  const timer = setInterval(() => {
    const now = cpu();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return longest;
    },
  };
}

/** A node child running `script` with `args`, whose stdout lines can be awaited. */
function lineChild(script: string, args: string[]) {
  const child = spawn(process.execPath, ["-e", script, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const listeners = new Set<(line: string) => void>();
  let pending = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) for (const listener of [...listeners]) listener(line);
  });
  return {
    child,
    /** Resolves with the first line (from now on) for which `done` is true. */
    line(done: (line: string) => boolean): Promise<string> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`child exited with ${code}`));
        const listener = (line: string) => {
          if (!done(line)) return;
          listeners.delete(listener);
          child.off("exit", onExit);
          resolve(line);
        };
        listeners.add(listener);
        child.once("exit", onExit);
      });
    },
  };
}
