// Standardisation with the population std and the std = 0 → 1 rule (data/README step 3).
import { describe, expect, it } from "vitest";
import { applyStandardization, standardize } from "../../src/data/index.js";

describe("standardize", () => {
  // columns: (1, 2, 3, 6) with mean 3 and population std √3.5; a constant column (7)
  const X = Float64Array.of(1, 7, 2, 7, 3, 7, 6, 7);

  it("uses the population std (÷ n, not n − 1)", () => {
    const s = standardize(X, 4, 2);
    expect(s.mean[0]).toBe(3);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(s.X[0]).toBeCloseTo(-2 / Math.sqrt(3.5), 14);
  });

  it("maps a constant column to 0 with std reported as 1", () => {
    const s = standardize(X, 4, 2);
    expect(s.std[1]).toBe(1);
    expect([s.X[1], s.X[3], s.X[5], s.X[7]]).toEqual([0, 0, 0, 0]);
  });

  it("leaves its input untouched and re-applies the same moments to new rows", () => {
    const copy = Float64Array.from(X);
    const s = standardize(X, 4, 2);
    expect(X).toEqual(copy);
    expect(applyStandardization(X, 4, 2, s.mean, s.std)).toEqual(s.X);
  });
});
