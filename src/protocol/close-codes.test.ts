import { describe, expect, it } from "vitest";
import { closeCodeName, explainCloseCode } from "./close-codes.ts";

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

describe("closeCodeName", () => {
  it("is the description's name, for every kind of code", () => {
    expect(closeCodeName(1006)).toBe("Abnormal closure");
    expect(closeCodeName(1000)).toBe("Normal closure");
    expect(closeCodeName(1012)).toBe("Service restart");
    expect(closeCodeName(1015)).toBe("TLS handshake failed");
    expect(closeCodeName(4000)).toBe("Private use");
    expect(closeCodeName(3001)).toBe("Registered for libraries and frameworks");
    expect(closeCodeName(2000)).toBe("Not a defined close code");
  });
});
