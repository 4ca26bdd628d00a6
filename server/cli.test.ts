import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
// Spawning node and loading TypeScript through tsx takes a second or two on a busy machine.
const SPAWN_TIMEOUT_MS = 20_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as `npm start` does (tsx, no build step), with an environment free of the
 * variables it reads unless given. `untilStdout` ends it with SIGTERM once stdout matches.
 */
function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  untilStdout?: RegExp,
): Promise<Run> {
  const { PORT, HOST, ALLOWED_ORIGINS, ALLOWED_HOSTS, HTTPS, TLS_CERT, TLS_KEY, ...inherited } =
    process.env;
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (untilStdout?.test(stdout)) child.kill("SIGTERM");
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let holder: Server | undefined;
afterEach(async () => {
  await new Promise<void>((closed) => (holder ? holder.close(() => closed()) : closed()));
  holder = undefined;
});

describe("npm start", () => {
  it(
    "--help lists every flag and variable with its default, and exits 0",
    async () => {
      const run = await runCli(["--help"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      for (const text of [
        "--port N",
        "PORT",
        "Default 8000.",
        "--host ADDR",
        "HOST",
        "Default 127.0.0.1",
        "--allowed-origins LIST",
        "ALLOWED_ORIGINS",
        "--allowed-hosts LIST",
        "ALLOWED_HOSTS",
        "--https",
        "HTTPS=1",
        "--cert FILE",
        "--key FILE",
        "--no-build",
        "-h, --help",
      ]) {
        expect(run.stdout).toContain(text);
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "an unknown flag: one line pointing to --help, exit 2",
    async () => {
      const run = await runCli(["--nope"]);
      expect(run).toEqual({
        code: 2,
        stdout: "",
        stderr: "Unknown option '--nope': see --help.\n",
      });
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "a bad value, from a flag or the environment: one line naming where it came from, exit 2",
    async () => {
      expect(await runCli(["--port", "eighty"])).toEqual({
        code: 2,
        stdout: "",
        stderr: "Invalid --port 'eighty': give a whole number from 0 to 65535; see --help.\n",
      });
      const fromEnv = await runCli(["--no-build"], { ALLOWED_HOSTS: "http://x.example/" });
      expect(fromEnv.code).toBe(2);
      expect(fromEnv.stderr).toMatch(
        /^Invalid ALLOWED_HOSTS: 'http:\/\/x\.example\/'.*see --help\.\n$/,
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "a busy port: names it and how to choose another, exit 1, no stack trace",
    async () => {
      const busy = createServer();
      holder = busy;
      await new Promise<void>((listening) => busy.listen(0, "127.0.0.1", listening));
      const address = busy.address();
      const port = typeof address === "object" && address ? address.port : 0;

      const run = await runCli(["--port", String(port), "--host", "127.0.0.1", "--no-build"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `Port ${port} on 127.0.0.1 is already in use (another server, or this one started twice). Choose another with --port N or PORT=N (0 picks a free one), or stop what holds it.\n`,
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "serves on the port asked for and exits 0 on SIGTERM",
    async () => {
      const run = await runCli(
        ["--no-build"],
        { PORT: "0", HOST: "127.0.0.1" },
        /WebSocket Playground on http:\/\/127\.0\.0\.1:\d+\n/,
      );
      expect(run.stdout).toMatch(/^WebSocket Playground on http:\/\/127\.0\.0\.1:[1-9]\d*\n/);
      expect(run.stdout).toContain("SIGTERM: closing every connection with 1001");
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "--https serves TLS on an https:// URL and says where its certificate is",
    async () => {
      const run = await runCli(
        ["--no-build", "--https"],
        { PORT: "0", HOST: "127.0.0.1" },
        /WebSocket Playground on https:\/\/127\.0\.0\.1:\d+\n.*\n/,
      );
      expect(run.stdout).toMatch(/^WebSocket Playground on https:\/\/127\.0\.0\.1:[1-9]\d*\n/);
      expect(run.stdout).toMatch(/self-signed certificate for localhost \(.*localhost\.pem\)/);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "--cert and --key that cannot be read: says so, exit 1",
    async () => {
      const run = await runCli(["--no-build", "--cert", "/nonexistent/c.pem", "--key", "k.pem"], {
        PORT: "0",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^The certificate or key could not be read: .*c\.pem/);
    },
    SPAWN_TIMEOUT_MS,
  );
});
