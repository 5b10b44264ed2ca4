// Number and bit-count formatting for tables and footnotes.
import { describe, expect, it } from "vitest";
import { formatBits, formatNumber } from "../../src/report/index.js";

describe("formatNumber", () => {
  it.each([
    [0, "0"],
    [400, "400"],
    [0.5, "0.5"],
    [3.14159, "3.142"],
    [-0.012345, "-0.01235"],
    [0.000123456, "1.235e-4"],
    [12345.678, "12346"],
    [2.5e7 + 0.5, "2.5e+7"],
    [1e-20, "1e-20"],
    [NaN, "NaN"],
    [Infinity, "Inf"],
    [-Infinity, "-Inf"],
  ])("formats %s as %s", (x, expected) => {
    expect(formatNumber(x)).toBe(expected);
  });

  it("rejects a digit count outside [1, 17]", () => {
    expect(() => formatNumber(1.5, 0)).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });
});

describe("formatBits", () => {
  it.each([
    [0, "0 bit"],
    [512, "512 bit"],
    [12.5, "12.5 bit"],
    [1234567, "1.23 Mbit"],
    [1000, "1 kbit"],
    [999_999, "1 Mbit"], // rounds up into the next unit rather than printing "1000 kbit"
    [4.2e12, "4.2 Tbit"],
  ])("formats %s as %s", (n, expected) => {
    expect(formatBits(n)).toBe(expected);
  });

  it("rejects negative and non-finite counts", () => {
    expect(() => formatBits(-1)).toThrow(expect.objectContaining({ code: "E_INPUT" }));
    expect(() => formatBits(NaN)).toThrow(expect.objectContaining({ code: "E_INPUT" }));
  });
});
