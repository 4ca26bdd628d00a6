import { execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";

// SPEC: "On SIGINT/SIGTERM: close every connection with 1001 and exit within 5 s", for the
// server as people start it: `npm start`, signalled by its PID (a test runner's child.kill(),
// a process manager). npm passes the signal to the shell running the script; Debian's dash does
// not pass it on, so the script `exec`s node (and loads TypeScript with `--import tsx` in the
// same process: the `tsx` launcher would relay a signal with 30 ms to spare, then SIGKILL).

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const STARTED = /on (http:\/\/127\.0\.0\.1:\d+)/;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Every process below `root` now (Linux and macOS `ps`). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).split(
    "\n",
  )) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

describe.each(["SIGTERM", "SIGINT"] as const)("npm start, then %s to npm's PID", (signal) => {
  it("closes an open connection with 1001 and exits 0 within 5 s, leaving nothing behind", async () => {
    const npm = spawn(NPM, ["start", "--", "--port", "0", "--no-build"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // What npm started, noted before the signal, so that a failing run leaves nothing behind.
    let started: number[] = [];
    try {
      const exited = new Promise<number | null>((resolve) => npm.once("close", resolve));
      let stdout = "";
      const url = await new Promise<string>((resolve, reject) => {
        npm.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          const found = STARTED.exec(stdout)?.[1];
          if (found) resolve(found);
        });
        npm.once("close", () => reject(new Error(`npm start ended first:\n${stdout}`)));
      });
      const port = Number(new URL(url).port);

      const client = new WebSocket(`${url.replace("http", "ws")}/echo`);
      await new Promise((opened) => client.once("open", opened));
      const closed = new Promise<number>((resolve) => {
        client.once("close", resolve);
        // No close frame at all fails here rather than at the test's timeout.
        setTimeout(() => resolve(-1), 8_000).unref();
      });

      started = npm.pid === undefined ? [] : descendants(npm.pid);
      const signalledAt = Date.now();
      npm.kill(signal);
      expect(await closed).toBe(1001);
      expect(await exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      expect(await portOpen(port)).toBe(false);
    } finally {
      for (const pid of [npm.pid ?? 0, ...started]) {
        try {
          if (pid > 0) process.kill(pid, "SIGKILL");
        } catch {
          // Already gone, as it should be.
        }
      }
    }
  }, 30_000);
});
