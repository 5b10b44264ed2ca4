// MLP parameter layout and initialisation.
import { describe, expect, it } from "vitest";
import { initMlp, mlp } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";

describe("mlp", () => {
  const model = mlp({ p: 784, hidden: 50, classes: 10 });

  it("lays out W1, b1, W2, b2 contiguously and dim counts them all", () => {
    expect(model.layout).toEqual({ w1: 0, b1: 784 * 50, w2: 784 * 50 + 50, b2: 784 * 50 + 50 + 500, dim: 784 * 50 + 50 + 500 + 10 });
    expect(model.dim).toBe(model.layout.dim);
  });

  it("initMlp is deterministic for a fixed stream", () => {
    const a = initMlp(model, RandomStream.of(7, "init"));
    const b = initMlp(model, RandomStream.of(7, "init"));
    expect(a).toEqual(b);
  });

  it("initMlp draws W1 with variance 1/p and zero biases (LeCun init for tanh)", () => {
    const w = initMlp(model, RandomStream.of(7, "init"));
    let s = 0;
    const m = 784 * 50;
    for (let i = 0; i < m; i++) s += w[i]! * w[i]!;
    // 39200 draws: the sample variance has relative standard error √(2/m) ≈ 0.7 %; allow 5 %.
    expect(s / m * 784).toBeGreaterThan(0.95);
    expect(s / m * 784).toBeLessThan(1.05);
    for (let i = model.layout.b1; i < model.layout.w2; i++) expect(w[i]).toBe(0);
    for (let i = model.layout.b2; i < model.dim; i++) expect(w[i]).toBe(0);
  });
});
