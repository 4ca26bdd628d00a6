import { describe, expect, it } from "vitest";
import { explainCloseCode } from "./close-codes.ts";

describe("explainCloseCode", () => {
  it("says which codes never cross the wire and who reports them instead", () => {
    for (const code of [1005, 1006, 1015]) {
      const facts = explainCloseCode(code);
      expect(facts.onWire).toBe(false);
      expect(facts.sentBy).toMatch(/^nobody: the browser reports it/);
    }
    expect(explainCloseCode(1004).onWire).toBe(false);
  });

  it("names who may send each code that can cross the wire", () => {
    expect(explainCloseCode(1000)).toMatchObject({ onWire: true, sentBy: /either endpoint/ });
    expect(explainCloseCode(1010).sentBy).toMatch(/only a client/);
    expect(explainCloseCode(4001)).toMatchObject({ onWire: true, meaning: /Private use/ });
    expect(explainCloseCode(3500)).toMatchObject({ onWire: true, meaning: /libraries/ });
    expect(explainCloseCode(2500)).toMatchObject({ onWire: false, sentBy: /no meaning/ });
  });
});
