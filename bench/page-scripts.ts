/**
 * JavaScript the bench runs inside the page, as source text: a TypeScript function's
 * toString() would carry whatever helpers the loader injected (tsx adds `__name(…)` calls).
 * Everything here does work per event the bench cares about (a long task, a socket's open
 * and close, a change of a count's text, a click), never per WebSocket frame.
 */

/**
 * At document start: the Long Tasks API observer (buffered, so tasks before it count too).
 * Entries are kept with their start time: observers are told late (in a later, low-priority
 * task), so "the longest since T" must be decided by start time, not by when it was told.
 */
export const LONG_TASK_OBSERVER = `(() => {
  const bench = (window.__bench ??= {});
  bench.longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch {}
})();`;

/** Page expression: { longest, count } of the long tasks that started at or after `since`. */
export function longTasksSince(since: number | string): string {
  return `(() => {
  const tasks = (window.__bench.longTasks ?? []).filter((task) => task.start >= ${since});
  return { longest: Math.max(0, ...tasks.map((task) => task.duration)), count: tasks.length };
})()`;
}

/**
 * At document start: the page's WebSocket as a subclass that notes when each socket opened
 * and closed, as the page's JavaScript saw it. It adds one listener for each of open and
 * close, nothing on message: the stream's end is the data socket's close event, which the
 * browser dispatches after the socket's last message event.
 */
export const SOCKET_CLOCK = `(() => {
  const bench = (window.__bench ??= {});
  bench.sockets = [];
  const Native = window.WebSocket;
  class BenchWebSocket extends Native {
    constructor(...args) {
      super(...args);
      const record = { url: String(args[0]), open: null, close: null, code: null, reason: "" };
      bench.sockets.push(record);
      this.addEventListener("open", () => { record.open = performance.now(); });
      this.addEventListener("close", (event) => {
        Object.assign(record, { close: performance.now(), code: event.code, reason: event.reason });
      });
    }
  }
  window.WebSocket = BenchWebSocket;
})();`;

/**
 * After load, before Connect: follows the first card's two counts. Each count's text is read
 * when it changes (a MutationObserver on the count element, plus a 100 ms timer in case React
 * replaces the element) and parsed into the number held and the number not shown:
 *   "100,002 frames"                      → held 100,002
 *   "99,100 frames · 902 not shown"       → held 99,100, not shown 902
 * (the number before " frame(s)" or " message(s)", and the number before "not shown",
 * "lost", "dropped" or "missed", with or without the noun in between). The time a count
 * first held `expected`, and the time its text last changed, are kept. Clicks' input delays
 * (pointerdown's timeStamp to its handler) are kept too.
 */
export function countWatcher(expected: { message: number; frame: number }): string {
  return `(() => {
  const expected = ${JSON.stringify(expected)};
  const bench = (window.__bench ??= {});
  const number = (text) => Number(text.replace(/[^0-9]/g, ""));
  const parse = (text, noun) => {
    const held = new RegExp("(\\\\d[\\\\d,]*)\\\\s*" + noun + "s?\\\\b").exec(text);
    const lost = new RegExp("(\\\\d[\\\\d,]*)\\\\s+(?:" + noun + "s?\\\\s+)?(?:not shown|lost|dropped|missed)").exec(text);
    return { held: held ? number(held[1]) : null, notShown: lost ? number(lost[1]) : 0 };
  };
  const card = document.querySelector('[data-testid="connection-card"]');
  const logs = {
    message: { testId: "message-count", noun: "message" },
    frame: { testId: "frame-count", noun: "frame" },
  };
  bench.counts = {};
  for (const [key, log] of Object.entries(logs)) {
    bench.counts[key] = { text: null, held: null, notShown: 0, changedAt: null, allShownAt: null, expected: expected[key] };
  }
  const observed = new Map();
  const sample = () => {
    const now = performance.now();
    for (const [key, log] of Object.entries(logs)) {
      const element = card.querySelector('[data-testid="' + log.testId + '"]');
      if (!element) continue;
      if (observed.get(key) !== element) {
        observed.set(key, element);
        new MutationObserver(sample).observe(element, { characterData: true, childList: true, subtree: true });
      }
      const state = bench.counts[key];
      const text = element.textContent ?? "";
      if (text === state.text) continue;
      Object.assign(state, { text, changedAt: now }, parse(text, log.noun));
      if (state.allShownAt === null && state.held !== null && state.held >= state.expected) state.allShownAt = now;
    }
  };
  sample();
  bench.countTimer = setInterval(sample, 100);
  bench.inputDelays = [];
  document.addEventListener("pointerdown", (event) => bench.inputDelays.push(performance.now() - event.timeStamp), true);
})();`;
}

/**
 * Page expression: the first card is there with both logs' counts, i.e. the page's lazily
 * loaded parts have arrived too.
 */
export const PAGE_READY = `(() => {
  const card = document.querySelector('[data-testid="connection-card"]');
  return Boolean(card?.querySelector('[data-testid="message-count"]') &&
    card.querySelector('[data-testid="frame-count"]'));
})()`;
