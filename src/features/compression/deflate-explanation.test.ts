import { describe, expect, it } from "vitest";
import { explainDeflate } from "./deflate-explanation.ts";

describe("explainDeflate", () => {
  it("explains each agreed parameter and who honours the threshold", () => {
    const explanation = explainDeflate(
      "permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
      new URLSearchParams("threshold=20"),
      5,
    );
    expect(explanation.agreed).toBe(true);
    const names = explanation.lines.map((line) => line.name);
    expect(names).toEqual([
      "server_no_context_takeover",
      "(client context takeover)",
      "(server_max_window_bits)",
      "client_max_window_bits=10",
      "threshold=20 (query, not in the header)",
      "level=6 (query, not in the header)",
    ]);
    const threshold = explanation.lines[4]?.meaning ?? "";
    expect(threshold).toContain("Honoured only by the server");
    expect(threshold).toContain("a 5-byte message from your browser crossed compressed");
  });

  it("says nothing was agreed without permessage-deflate", () => {
    expect(explainDeflate("", new URLSearchParams()).agreed).toBe(false);
    expect(explainDeflate("x-other", new URLSearchParams()).agreed).toBe(false);
  });
});
