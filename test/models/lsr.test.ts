// LSR exact optimum and the smoothness constants (LSR, logistic, softmax, reference L).
import { describe, expect, it } from "vitest";
import { federatedGrad, federatedLoss, gram, leastSquares, logistic, lsrOptimum, referenceSmoothness, softmax } from "../../src/models/index.js";
import type { Dataset, Objective } from "../../src/models/index.js";
import { maxAbs, randomDataset, randomVector } from "./helpers.js";

const p = 5;
// Workers of different sizes, so an n-weighted mean and the unweighted one differ.
const workers: Dataset[] = [12, 30, 7].map((n, i) => randomDataset(n, p, 20 + i, (u, r) => i + u + 0.1 * r));

describe("lsrOptimum", () => {
  it.each([0, 0.5])("has zero federated gradient (ridge %s)", (ridge) => {
    const obj = leastSquares({ p, ridge });
    const w = lsrOptimum(workers, ridge);
    // the normal equations are solved by Cholesky: residual ~ κ·ε ≈ 1e-14 at this size
    expect(maxAbs(federatedGrad(obj, w, workers))).toBeLessThan(1e-12);
  });

  it("is a minimum of the unweighted federated loss", () => {
    const obj = leastSquares({ p });
    const w = lsrOptimum(workers);
    const f = federatedLoss(obj, w, workers);
    for (let s = 0; s < 5; s++) {
      const v = randomVector(p, 100 + s, 1e-3);
      expect(federatedLoss(obj, w.map((wj, j) => wj + v[j]!), workers)).toBeGreaterThan(f);
    }
  });

  it("throws E_INPUT for a rank-deficient problem without ridge", () => {
    const d = { n: 2, p: 3, X: Float64Array.of(1, 2, 3, 2, 4, 6), y: Float64Array.of(1, 2) };
    expect(() => lsrOptimum([d])).toThrow(/E_INPUT.*positive definite/);
  });
});

/** Largest of vᵀ∇²F(w)v over `k` random unit directions v, by differences of exact gradients. */
function maxCurvature(obj: Objective, data: Dataset, k: number, seed: number): number {
  const g0 = new Float64Array(obj.dim), g1 = new Float64Array(obj.dim);
  let best = 0;
  for (let s = 0; s < k; s++) {
    const w = randomVector(obj.dim, seed + 2 * s);
    const v = randomVector(obj.dim, seed + 2 * s + 1);
    const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    const t = 1e-5;
    obj.grad(w, data, g0);
    obj.grad(w.map((wj, j) => wj + (t * v[j]!) / norm), data, g1);
    let c = 0;
    for (let j = 0; j < obj.dim; j++) c += ((g1[j]! - g0[j]!) / t) * (v[j]! / norm);
    best = Math.max(best, c);
  }
  return best;
}

describe("smoothness", () => {
  const data = randomDataset(60, p, 7, (u) => (u < 0.5 ? -1 : 1));
  const classData = randomDataset(60, p, 8, (u) => Math.floor(3 * u));

  it("LSR smoothness is the top eigenvalue of XᵀX/n + λ (diagonal design with known spectrum)", () => {
    // rows 3·e_0, 1·e_1, 2·e_2: XᵀX/3 = diag(9, 1, 4)/3, so λ_max = 3
    const d = { n: 3, p: 3, X: Float64Array.of(3, 0, 0, 0, 1, 0, 0, 0, 2), y: new Float64Array(3) };
    expect(leastSquares({ p: 3, ridge: 0.25 }).smoothness!(d)).toBeCloseTo(3.25, 9);
  });

  it.each([
    ["lsr", leastSquares({ p, ridge: 0.1 }), data],
    ["logistic", logistic({ p, ridge: 0.1 }), data],
    ["softmax", softmax({ p, classes: 3, ridge: 0.1 }), classData],
  ] as const)("%s: L bounds the curvature along 50 random directions", (_name, obj, d) => {
    expect(obj.smoothness!(d)).toBeGreaterThanOrEqual(maxCurvature(obj, d, 50, 300));
  });

  it("referenceSmoothness is mean_i ‖X_iᵀX_i‖_F / (4 n_i)", () => {
    const expected = workers.map((d) => {
      const G = gram(d.X, d.n, d.p);
      return Math.sqrt(G.reduce((a, b) => a + b * b, 0)) / (4 * d.n);
    });
    expect(referenceSmoothness(workers)).toBeCloseTo((expected[0]! + expected[1]! + expected[2]!) / 3, 12);
  });

  it("referenceSmoothness is at least the logistic bound λ_max/(4n) averaged over workers", () => {
    const obj = logistic({ p });
    const mean = workers.reduce((a, d) => a + obj.smoothness(d), 0) / workers.length;
    expect(referenceSmoothness(workers)).toBeGreaterThanOrEqual(mean);
  });
});
