/**
 * The child's half of startNodeChild (bench/child-process.ts), kept apart so that a child does
 * not also install the parent's kill-everything-on-exit handlers.
 */
/** In a child started by startNodeChild: answer CPU-time questions and stop on SIGTERM. */
export function serveChildProtocol(ready: unknown, close: () => Promise<void>): void {
  process.on("message", (message) => {
    if (message === "cpu") process.send?.(process.cpuUsage());
  });
  // The parent's exit closes the IPC channel: never outlive the bench.
  process.on("disconnect", () => process.exit(0));
  process.once("SIGTERM", () => {
    void close().finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}
