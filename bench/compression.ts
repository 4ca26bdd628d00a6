/**
 * The compression bench rows: what permessage-deflate saves (wire ÷ decoded bytes) and what it
 * costs (round trips per second, server memory per connection), for three payload kinds with
 * context takeover on and off, against `/echo` in the same run.
 *
 * Ratio and throughput run against the bench's server, with the `ws` client (compressing its
 * own messages too) in the bench's process; memory against fresh server processes
 * of their own, one per endpoint, read from Linux's /proc/PID/status (VmRSS: zlib's buffers are
 * native memory, outside the V8 heap).
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { generatePayload, PayloadKind } from "../src/features/compression/payload-generator.ts";
import { startNodeChild } from "./child-process.ts";
import { counted, fixed, type Row } from "./ingest-rows.ts";

const KINDS = [
  { kind: PayloadKind.RepetitiveText, label: "text" },
  { kind: PayloadKind.JsonRecords, label: "JSON" },
  { kind: PayloadKind.RandomBytes, label: "random" },
] as const;

const TARGETS = [
  { label: "/echo", path: "/echo" },
  { label: "deflate takeover on", path: "/deflate" },
  {
    label: "deflate takeover off",
    path: "/deflate?server_no_context_takeover=1&client_no_context_takeover=1",
  },
] as const;

/** Distinct payloads per kind, cycled: the same one over and over would flatter takeover. */
const POOL = 32;

/** A seeded generator (mulberry32), so every run compares the same payloads. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function payloadPool(kind: PayloadKind, size: number): (string | Uint8Array)[] {
  return Array.from({ length: POOL }, (_, index) => {
    const payload = generatePayload(kind, size, seeded(index + 1));
    // Repetitive text is the same sentence each time: number it, as a chat's messages would be.
    return typeof payload === "string" && kind === PayloadKind.RepetitiveText
      ? `${index}: ${payload}`.slice(0, size)
      : payload;
  });
}

const open = (url: string, deflate: boolean) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });

interface EchoFigures {
  messagesPerSecond: number;
  /** Bytes the client read off TCP (frames with headers) ÷ decoded bytes echoed. */
  ratio: number;
}

/** `messages` round trips with `window` in flight on one connection. */
async function echoRun(
  url: string,
  pool: (string | Uint8Array)[],
  messages: number,
  window: number,
): Promise<EchoFigures> {
  const ws = await open(url, true);
  const socket = (ws as unknown as { _socket: import("node:net").Socket })._socket;
  const readBefore = socket.bytesRead;
  let sent = 0;
  let received = 0;
  let decoded = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const sendNext = () => {
      const payload = pool[sent % pool.length] as string | Uint8Array;
      sent += 1;
      ws.send(payload);
    };
    ws.on("message", (data: Buffer) => {
      received += 1;
      decoded += data.length;
      if (received === messages) resolve();
      else if (sent < messages) sendNext();
    });
    ws.once("close", (code) => reject(new Error(`${url} closed early with ${code}`)));
    for (let index = 0; index < Math.min(window, messages); index += 1) sendNext();
  });
  const seconds = (performance.now() - started) / 1000;
  const ratio = (socket.bytesRead - readBefore) / decoded;
  ws.removeAllListeners("close");
  ws.close();
  return { messagesPerSecond: messages / seconds, ratio };
}

/** Resident memory of a process, in bytes (Linux). */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Server memory per connection: `count` clients open on a fresh server process, each
 * exchanges one message (ws allocates zlib streams on first use), and the server's RSS
 * growth is divided by `count`.
 */
async function memoryPerConnection(path: string, count: number): Promise<number> {
  const script = new URL("./server-process.ts", import.meta.url);
  const server = await startNodeChild<{ url: string; pid: number }>(script, []);
  const sockets: WebSocket[] = [];
  try {
    const url = `${server.ready.url.replace(/^http/, "ws")}${path}`;
    // Warm the server up (first-connection allocations, JIT) before the baseline.
    const warm = await open(url, true);
    await echoOnce(warm, "warm up");
    warm.close();
    const before = residentBytes(server.pid);
    for (let index = 0; index < count; index += 1) sockets.push(await open(url, true));
    await Promise.all(sockets.map((ws, index) => echoOnce(ws, `message ${index} `.repeat(20))));
    const after = residentBytes(server.pid);
    return (after - before) / count;
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  }
}

const echoOnce = (ws: WebSocket, text: string) =>
  new Promise<void>((resolve) => {
    ws.once("message", () => resolve());
    ws.send(text);
  });

/**
 * The compression rows: ratio and throughput for each payload kind × target, then memory per
 * connection for /deflate against /echo.
 */
export async function measureCompression(
  serverUrl: string,
  options: { quick: boolean },
): Promise<Row[]> {
  const wsBase = serverUrl.replace(/^http/, "ws");
  const size = 4096;
  const messages = options.quick ? 500 : 5_000;
  const window = 16;
  const ratios: string[] = [];
  const rates: string[] = [];
  // Warm both processes up (JIT, zlib) so the first target measured is not the slowest.
  for (const target of TARGETS) {
    await echoRun(
      `${wsBase}${target.path}`,
      payloadPool(PayloadKind.JsonRecords, size),
      500,
      window,
    );
  }
  for (const { kind, label } of KINDS) {
    const pool = payloadPool(kind, size);
    const ratioParts: string[] = [];
    const rateParts: string[] = [];
    for (const target of TARGETS) {
      const figures = await echoRun(`${wsBase}${target.path}`, pool, messages, window);
      ratioParts.push(fixed(figures.ratio, 3));
      rateParts.push(counted(Math.round(figures.messagesPerSecond)));
    }
    ratios.push(`${label} ${ratioParts.join(" / ")}`);
    rates.push(`${label} ${rateParts.join(" / ")}`);
  }
  const order = TARGETS.map((target) => target.label).join(" / ");
  const connections = options.quick ? 100 : 500;
  const echoMemory = await memoryPerConnection("/echo", connections);
  const deflateMemory = await memoryPerConnection("/deflate", connections);
  const kb = (bytes: number) => `${fixed(bytes / 1024, 1)} KiB`;
  return [
    [`compression ratio, wire ÷ decoded, 4 KiB echoes (${order})`, ratios.join("; "), ""],
    [`compression round trips/s, 4 KiB, ${window} in flight (${order})`, rates.join("; "), ""],
    [
      `server memory per connection (RSS growth ÷ ${connections}): /deflate vs /echo`,
      `${kb(deflateMemory)} vs ${kb(echoMemory)}`,
      "",
    ],
  ];
}
