import { describe, expect, it } from "vitest";
import { type CloseFrameFacts, isCleanEnd, isNormalCloseCode } from "./clean-close.ts";

const close = (code: number | undefined, overrides: Partial<CloseFrameFacts> = {}) => ({
  code,
  payloadLength: code === undefined ? 0 : 2,
  reasonIsUtf8: true,
  ...overrides,
});

describe("isNormalCloseCode", () => {
  it.each([1000, 1001, 1012, 1013, 3000, 3999, 4000, 4001, 4999])("%i is normal", (code) => {
    expect(isNormalCloseCode(code)).toBe(true);
  });

  it.each([
    // Errors: the code an endpoint fails the connection with.
    1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014,
    // Never on the wire: reserved, or not assigned.
    0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535,
  ])("%i is not", (code) => {
    expect(isNormalCloseCode(code)).toBe(false);
  });
});

describe("isCleanEnd", () => {
  it("is clean when both sides closed and the first close said normal", () => {
    expect(isCleanEnd({ bothClosed: true, first: close(1000) })).toBe(true);
    expect(isCleanEnd({ bothClosed: true, first: close(4001, { payloadLength: 9 }) })).toBe(true);
  });

  it("is clean after an empty close frame: no status, which the API reports as 1005", () => {
    expect(isCleanEnd({ bothClosed: true, first: close(undefined) })).toBe(true);
  });

  it("is not clean when only one side closed, or none", () => {
    expect(isCleanEnd({ bothClosed: false, first: close(1000) })).toBe(false);
    expect(isCleanEnd({ bothClosed: false, first: undefined })).toBe(false);
  });

  it.each([1002, 1007, 1009, 1011])(
    "is not clean when the first close failed the connection with %i, though both closed",
    (code) => {
      expect(isCleanEnd({ bothClosed: true, first: close(code) })).toBe(false);
    },
  );

  it("is not clean when a reserved code crossed the wire", () => {
    expect(isCleanEnd({ bothClosed: true, first: close(1005) })).toBe(false);
    expect(isCleanEnd({ bothClosed: true, first: close(1006) })).toBe(false);
  });

  it("is not clean when the first close frame was malformed", () => {
    expect(isCleanEnd({ bothClosed: true, first: close(undefined, { payloadLength: 1 }) })).toBe(
      false,
    );
    expect(
      isCleanEnd({
        bothClosed: true,
        first: close(1000, { payloadLength: 3, reasonIsUtf8: false }),
      }),
    ).toBe(false);
  });
});
