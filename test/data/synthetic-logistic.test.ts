// E3's heterogeneous toy LR and E4's Bayesian LR clients: determinism, construction, heterogeneity.
// Tolerances are ~5 standard errors at the sample size used (stated per test).
import { describe, expect, it } from "vitest";
import { syntheticHeterogeneousLogistic, syntheticLogisticBayes } from "../../src/data/index.js";
import type { Dataset } from "../../src/data/index.js";
import { federatedGrad, logistic, sigmoid } from "../../src/models/index.js";
import { columnCov, columnMean } from "./stats.js";

/** mean over rows of (y − E[y | x])·t with t = xᵀw: 0 when labels follow σ(xᵀw). */
function labelResidual(ds: readonly Dataset[], w: ArrayLike<number>): { resid: number; signal: number } {
  let resid = 0, signal = 0, n = 0;
  for (const d of ds) for (let r = 0; r < d.n; r++) {
    let t = 0;
    for (let j = 0; j < d.p; j++) t += d.X[r * d.p + j]! * w[j]!;
    const ey = 2 * sigmoid(t) - 1;
    resid += (d.y[r]! - ey) * t;
    signal += ey * t;
    n++;
  }
  return { resid: resid / n, signal: signal / n };
}

describe("syntheticHeterogeneousLogistic", () => {
  const { workers, wTrue, typeOfWorker } = syntheticHeterogeneousLogistic({ seed: 1 });
  const typeA = workers.filter((_, i) => typeOfWorker[i] === 0);
  const typeB = workers.filter((_, i) => typeOfWorker[i] === 1);

  it("is deterministic for a fixed seed", () => {
    expect(syntheticHeterogeneousLogistic({ seed: 1, workers: 3 }).workers).toEqual(workers.slice(0, 3));
  });

  it("has 20 workers × 200 rows in d = 2, labels ±1, types alternating A, B, A, …", () => {
    expect(workers.map((d) => [d.n, d.p])).toEqual(new Array(20).fill([200, 2]));
    expect(Array.from(typeOfWorker)).toEqual(Array.from({ length: 20 }, (_, i) => i % 2));
    for (const d of workers) for (const v of d.y) expect(Math.abs(v)).toBe(1);
  });

  it("type A has feature 0 with the opposite sign: corr(x0, x1) is −0.6 for A, +0.6 for B", () => {
    // 2000 rows per type: s.e. of the covariance ≈ √((1 + ρ²)/2000) = 0.026
    expect(Math.abs(columnCov(typeA, 0, 1) + 0.6)).toBeLessThan(0.13);
    expect(Math.abs(columnCov(typeB, 0, 1) - 0.6)).toBeLessThan(0.13);
    expect(Math.abs(columnMean(typeA, 0))).toBeLessThan(0.12);
  });

  it("labels follow σ(xᵀw) for B and σ(xᵀ(w0, −w1)) for A", () => {
    // |(y − E y) t| has s.d. ≤ ‖w‖·√(1 + 0.6) ≈ 1.7 → s.e. 1.7/√2000 = 0.04 of the mean residual;
    // the signal E[(2σ(t) − 1) t] is ≈ 0.33, so a flipped model would be off by ≈ 0.66
    const a = labelResidual(typeA, [wTrue[0]!, -wTrue[1]!]);
    const b = labelResidual(typeB, wTrue);
    expect(Math.abs(a.resid)).toBeLessThan(0.2);
    expect(Math.abs(b.resid)).toBeLessThan(0.2);
    expect(a.signal).toBeGreaterThan(0.25);
  });

  it("is strongly heterogeneous: at the federated optimum the two types' gradients point opposite ways", () => {
    const obj = logistic({ p: 2 });
    const L = Math.max(...workers.map((d) => obj.smoothness(d)));
    let w = new Float64Array(2);
    for (let k = 0; k < 1500; k++) {
      const g = federatedGrad(obj, w, workers);
      w = w.map((x, j) => x - g[j]! / L);
    }
    expect(Math.hypot(...federatedGrad(obj, w, workers))).toBeLessThan(1e-8);
    // Per-worker sampling noise of ∂₁F_i is ≈ 0.03, ≈ 0.01 averaged over 10 workers; the
    // heterogeneity term is ≈ 0.1 with opposite signs for the two types.
    const g1 = (ds: Dataset[]) => ds.reduce((s, d) => s + obj.grad(w, d, new Float64Array(2))[1]!, 0) / ds.length;
    expect(g1(typeA)).toBeGreaterThan(0.05);
    expect(g1(typeB)).toBeLessThan(-0.05);
  });
});

describe("syntheticLogisticBayes", () => {
  const { clients, thetaTrue, clientMeans } = syntheticLogisticBayes({ seed: 3 }); // 50 × 200, d = 2

  it("is deterministic for a fixed seed", () => {
    const again = syntheticLogisticBayes({ seed: 3 });
    expect(again.clients).toEqual(clients);
    expect(again.thetaTrue).toEqual(thetaTrue);
  });

  it("has 50 clients × 200 rows in d = 2 with ±1 labels", () => {
    expect(clients.map((d) => [d.n, d.p])).toEqual(new Array(50).fill([200, 2]));
    for (const d of clients) for (const v of d.y) expect(Math.abs(v)).toBe(1);
  });

  it("client i's features are N(m_i, I): sample means within 5 s.e. (1/√200 = 0.071) of m_i", () => {
    clients.forEach((d, i) => {
      for (let j = 0; j < 2; j++) expect(Math.abs(columnMean([d], j) - clientMeans[i]![j]!)).toBeLessThan(0.36);
    });
  });

  it("labels follow σ(xᵀθ_true)", () => {
    // 10000 rows: s.e. of the mean residual ≤ sd(t)/100 ≲ 0.03
    expect(Math.abs(labelResidual(clients, thetaTrue).resid)).toBeLessThan(0.15);
  });
});
