/**
 * A minimal Chrome DevTools Protocol client over one WebSocket (the `ws` package), in flat
 * session mode. The bench drives Chromium with it instead of Playwright because Playwright
 * sends `Network.enable` on every page it attaches to (also with `connectOverCDP`), and with
 * the Network domain on, Chromium reports every WebSocket frame to the driver: per-frame work
 * that is not the page's. Here a domain is on only when the bench turns it on.
 */
import WebSocket from "ws";

type Params = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: CDP results are untyped JSON.
type Result = any;
type Listener = (params: Result, sessionId: string | undefined) => void;

export class CdpConnection {
  #ws: WebSocket;
  #nextId = 1;
  #pending = new Map<number, { resolve(value: Result): void; reject(error: Error): void }>();
  #listeners = new Map<string, Set<Listener>>();
  #closed: Error | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on("message", (data) => this.#onMessage(String(data)));
    ws.on("close", () => this.#fail(new Error("the DevTools connection closed")));
    ws.on("error", (error) => this.#fail(error));
  }

  static async connect(url: string): Promise<CdpConnection> {
    // Screenshots and traces come back as large messages; no payload cap.
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 0 });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new CdpConnection(ws);
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Result> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {
        resolve,
        reject: (error) => reject(new Error(`${method}: ${error.message}`)),
      });
      this.#ws.send(message);
    });
  }

  on(event: string, listener: Listener): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    this.#ws.close();
  }

  #onMessage(text: string) {
    const message = JSON.parse(text) as {
      id?: number;
      result?: Result;
      error?: { message: string };
      method?: string;
      params?: Result;
      sessionId?: string;
    };
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    } else if (message.method) {
      for (const listener of this.#listeners.get(message.method) ?? []) {
        listener(message.params, message.sessionId);
      }
    }
  }

  #fail(error: Error) {
    this.#closed ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** One page (tab) attached in flat mode: its commands carry its session id. */
export class CdpPage {
  constructor(
    readonly cdp: CdpConnection,
    readonly sessionId: string,
    readonly targetId: string,
  ) {}

  send(method: string, params: Params = {}): Promise<Result> {
    return this.cdp.send(method, params, this.sessionId);
  }

  /** Runs an expression in the page (awaiting a promise it returns) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) {
      const text = exceptionDetails.exception?.description ?? exceptionDetails.text;
      throw new Error(`in the page: ${text}`);
    }
    return result.value as T;
  }

  /** Navigates and waits until the document has loaded (polling readyState: no Page domain). */
  async goto(url: string, timeoutMs = 30_000): Promise<void> {
    const { errorText } = await this.send("Page.navigate", { url });
    if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
    await this.waitFor(
      `document.readyState === "complete" && location.href.startsWith(${JSON.stringify(url)})`,
      timeoutMs,
    );
  }

  /** Polls a page expression until it is truthy (every 50 ms, from the driver). */
  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ok = await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false);
      if (ok) return;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * A fresh browser context (its own cache, storage and renderer) with one page in it.
 * Only the Page domain is enabled on the page; `network: true` turns on the Network domain the way
 * Playwright does, so the two can be compared.
 */
export async function openPage(
  cdp: CdpConnection,
  { width, height, network }: { width: number; height: number; network: boolean },
): Promise<{ page: CdpPage; close(): Promise<void> }> {
  const { browserContextId } = await cdp.send("Target.createBrowserContext", {
    disposeOnDetach: true,
  });
  const { targetId } = await cdp.send("Target.createTarget", {
    url: "about:blank",
    browserContextId,
    width,
    height,
  });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const page = new CdpPage(cdp, sessionId, targetId);
  // Page.addScriptToEvaluateOnNewDocument only takes effect with the Page domain on; it
  // reports navigations and lifecycle events, nothing per WebSocket frame.
  await page.send("Page.enable");
  if (network) await page.send("Network.enable");
  return {
    page,
    close: async () => {
      await cdp.send("Target.closeTarget", { targetId }).catch(() => undefined);
      await cdp.send("Target.disposeBrowserContext", { browserContextId }).catch(() => undefined);
    },
  };
}
