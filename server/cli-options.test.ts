import { describe, expect, it } from "vitest";
import { listenFailure, listeningBanner, parseCli } from "./cli-options.ts";

const defaults = { port: 8000, host: "127.0.0.1" };
const errno = (code: string) => Object.assign(new Error(code), { code });

describe("parseCli", () => {
  it("takes defaults, then the environment, then flags", () => {
    expect(parseCli([], {}, defaults)).toEqual({
      kind: "run",
      build: true,
      server: {
        port: 8000,
        host: "127.0.0.1",
        allowedOrigins: [],
        allowedHosts: [],
        maxMessagesPerSecond: 0,
      },
    });
    expect(parseCli([], { MAX_MESSAGES_PER_SECOND: "2000" }, defaults)).toMatchObject({
      server: { maxMessagesPerSecond: 2000 },
    });
    expect(parseCli(["--max-messages-per-second", "50"], {}, defaults)).toMatchObject({
      server: { maxMessagesPerSecond: 50 },
    });
    const env = { PORT: "9000", HOST: "0.0.0.0", ALLOWED_HOSTS: "a.lan", ALLOWED_ORIGINS: "*" };
    expect(parseCli([], env, defaults)).toMatchObject({
      server: { port: 9000, host: "0.0.0.0", allowedOrigins: ["*"], allowedHosts: ["a.lan"] },
    });
    expect(
      parseCli(
        ["--port", "0", "--host", "::", "--allowed-hosts", ".Workshop.example", "--no-build"],
        env,
        defaults,
      ),
    ).toMatchObject({
      build: false,
      server: { port: 0, host: "::", allowedHosts: [".workshop.example"] },
    });
  });

  it("serves TLS with --https or HTTPS=1, with --cert and --key files when given", () => {
    expect(parseCli(["--https"], {}, defaults)).toMatchObject({ server: { https: true } });
    expect(parseCli([], { HTTPS: "1" }, defaults)).toMatchObject({ server: { https: true } });
    expect(parseCli([], { HTTPS: "0" }, defaults)).not.toHaveProperty("server.https");
    expect(parseCli(["--cert", "c.pem", "--key", "k.pem"], {}, defaults)).toMatchObject({
      server: { https: { certFile: "c.pem", keyFile: "k.pem" } },
    });
    expect(parseCli([], { TLS_CERT: "c.pem", TLS_KEY: "k.pem" }, defaults)).toMatchObject({
      server: { https: { certFile: "c.pem", keyFile: "k.pem" } },
    });
  });

  it("answers --help and -h", () => {
    expect(parseCli(["--help"], {}, defaults)).toEqual({ kind: "help" });
    expect(parseCli(["-h", "--port", "x"], {}, defaults)).toEqual({ kind: "help" });
  });

  it.each([
    [["--nope"], {}, "Unknown option '--nope': see --help."],
    [["--port"], {}, "Option '--port <value>' argument missing: see --help."],
    [["serve"], {}, "Unexpected argument 'serve': see --help."],
    [["--port", "-1"], {}, "Option '--port' argument is ambiguous: see --help."],
    [
      [],
      { PORT: "65536" },
      "Invalid PORT '65536': give a whole number from 0 to 65535; see --help.",
    ],
    [
      ["--port", "1e3"],
      {},
      "Invalid --port '1e3': give a whole number from 0 to 65535; see --help.",
    ],
    [["--host", ""], {}, "Invalid --host: give an address; see --help."],
    [
      ["--max-messages-per-second", "fast"],
      {},
      "Invalid --max-messages-per-second 'fast': give a whole number (0: no limit); see --help.",
    ],
    [
      ["--allowed-origins", "tools.example"],
      {},
      "Invalid --allowed-origins: 'tools.example' is not an origin (scheme://host[:port], e.g. http://tools.example:3000); see --help.",
    ],
    [[], { HTTPS: "maybe" }, "Invalid HTTPS 'maybe': give 1 to serve over TLS, or 0; see --help."],
    [
      ["--cert", "c.pem"],
      {},
      "A certificate needs its key and a key its certificate: add --key FILE (or TLS_KEY); see --help.",
    ],
  ])("refuses %j %j in one line", (args, env, message) => {
    expect(parseCli(args, env, defaults)).toEqual({ kind: "error", message });
  });
});

describe("listenFailure", () => {
  it("names the port and the way to choose another", () => {
    expect(listenFailure(errno("EADDRINUSE"), 8000, "127.0.0.1")).toBe(
      "Port 8000 on 127.0.0.1 is already in use (another server, or this one started twice). Choose another with --port N or PORT=N (0 picks a free one), or stop what holds it.",
    );
    expect(listenFailure(errno("EACCES"), 80, "0.0.0.0")).toContain("above 1023 with --port N");
    expect(listenFailure(errno("EADDRNOTAVAIL"), 8000, "10.9.9.9")).toContain(
      "10.9.9.9 is not an address of this machine",
    );
    expect(listenFailure(new Error("boom"), 8000, "127.0.0.1")).toBe(
      "The server could not start on 127.0.0.1:8000: boom",
    );
  });
});

describe("listeningBanner", () => {
  it("is one line on loopback", () => {
    expect(listeningBanner("http://127.0.0.1:8000", "127.0.0.1", 8000, ["192.168.1.20"])).toBe(
      "WebSocket Playground on http://127.0.0.1:8000",
    );
    expect(listeningBanner("http://localhost:8000", "localhost", 8000, [])).toBe(
      "WebSocket Playground on http://localhost:8000",
    );
  });

  it("warns on every interface and lists the URLs attendees can open", () => {
    expect(
      listeningBanner("http://127.0.0.1:8000", "0.0.0.0", 8000, ["192.168.1.20", "10.0.0.7"]),
    ).toBe(
      [
        "WebSocket Playground on http://127.0.0.1:8000",
        "Warning: listening on every network interface (0.0.0.0): anyone on the network can open the playground and connect to its endpoints.",
        "Attendees can open:",
        "  http://192.168.1.20:8000",
        "  http://10.0.0.7:8000",
      ].join("\n"),
    );
    expect(listeningBanner("http://[::1]:8000", "::", 8000, [])).toContain("No LAN address found");
  });

  it("lists https:// URLs for a TLS server", () => {
    expect(listeningBanner("https://127.0.0.1:8000", "0.0.0.0", 8000, ["192.168.1.20"])).toContain(
      "  https://192.168.1.20:8000",
    );
  });

  it("warns on one reachable address", () => {
    expect(listeningBanner("http://192.168.1.20:8000", "192.168.1.20", 8000, [])).toContain(
      "Warning: listening on 192.168.1.20: anyone who can reach that address can connect.",
    );
  });
});
