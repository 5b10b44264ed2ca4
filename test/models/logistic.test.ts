// Logistic regression: numerically stable for huge margins, probabilities, label validation.
import { describe, expect, it } from "vitest";
import { logistic, softplus, sigmoid } from "../../src/models/index.js";
import { FedquantError } from "../../src/errors.js";

describe("logistic", () => {
  // One row x = (1), so the margin y·xᵀw is y·w exactly.
  const obj = logistic({ p: 1 });
  const pos = { n: 1, p: 1, X: Float64Array.of(1), y: Float64Array.of(1) };

  it("loss is finite and equal to the margin's softplus for margins of ±1e4 (no Infinity/NaN)", () => {
    expect(obj.loss(Float64Array.of(1e4), pos)).toBe(0);          // log(1 + e^-1e4) underflows to 0
    expect(obj.loss(Float64Array.of(-1e4), pos)).toBe(1e4);       // log(1 + e^1e4) = 1e4 to rounding
    expect(obj.loss(Float64Array.of(-800), pos)).toBeCloseTo(800, 12); // e^800 alone would overflow
  });

  it("gradient stays finite and saturates at ∓x for huge margins", () => {
    const out = new Float64Array(1);
    expect(Math.abs(obj.grad(Float64Array.of(1e4), pos, out)[0]!)).toBe(0);
    expect(obj.grad(Float64Array.of(-1e4), pos, out)[0]).toBe(-1);
    expect(Number.isFinite(obj.grad(Float64Array.of(-1e308), pos, out)[0]!)).toBe(true);
  });

  it("softplus and sigmoid agree with the naive formulas where those are accurate", () => {
    for (const z of [-20, -3, -0.5, 0, 0.5, 3, 20]) {
      expect(softplus(z)).toBeCloseTo(Math.log(1 + Math.exp(z)), 12);
      expect(sigmoid(z)).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
    }
  });

  it("predictProba gives [P(−1), P(+1)] rows summing to 1", () => {
    const data = { n: 2, p: 1, X: Float64Array.of(2, -1), y: Float64Array.of(1, -1) };
    const pr = obj.predictProba(Float64Array.of(0.5), data);
    expect(pr[1]).toBeCloseTo(sigmoid(1), 14);
    expect(pr[2]).toBeCloseTo(sigmoid(0.5), 14);
    expect(pr[0]! + pr[1]!).toBeCloseTo(1, 14);
    expect(pr[2]! + pr[3]!).toBeCloseTo(1, 14);
  });

  it("rejects 0/1 labels with E_INPUT (they must be mapped to ±1 first)", () => {
    const bad = { n: 1, p: 1, X: Float64Array.of(1), y: Float64Array.of(0) };
    expect(() => obj.loss(Float64Array.of(0), bad)).toThrow(FedquantError);
    expect(() => obj.loss(Float64Array.of(0), bad)).toThrow(/E_INPUT.*label 0/);
  });
});
