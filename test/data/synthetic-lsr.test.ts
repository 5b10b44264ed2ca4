// E3's synthetic LSR and E2's overlapping LSR: determinism and the stated distributions.
// Tolerances are ~5 standard errors of the statistic at the sample size used (stated per test),
// so a correct generator fails with probability < 1e-5 per check, a wrong moment fails surely.
import { describe, expect, it } from "vitest";
import { lsrE2, syntheticLsr } from "../../src/data/index.js";
import { lsrOptimum } from "../../src/models/index.js";
import { columnCov, columnMean, meanAndStd } from "./stats.js";

describe("syntheticLsr", () => {
  const { workers, wStar } = syntheticLsr({ seed: 42 }); // 20 workers × 200 rows, dim 20

  it("is deterministic for a fixed seed and changes with the seed", () => {
    expect(syntheticLsr({ seed: 42, workers: 2 }).workers).toEqual(workers.slice(0, 2));
    expect(syntheticLsr({ seed: 43, workers: 2 }).workers[0]!.X).not.toEqual(workers[0]!.X);
  });

  it("has 20 workers × 200 rows, dim 20 with the bias first", () => {
    expect(workers.map((d) => [d.n, d.p])).toEqual(new Array(20).fill([200, 20]));
    for (const d of workers) for (let r = 0; r < d.n; r++) expect(d.X[r * 20]).toBe(1);
  });

  it("uses w*_j = (−1)^(j+1) e^(−j/10) (j from 0) behind the intercept 2", () => {
    expect(wStar[0]).toBe(2);
    expect(wStar[1]).toBe(-1);
    expect(wStar[2]).toBeCloseTo(Math.exp(-0.1), 15);
    expect(wStar[19]).toBeCloseTo(-Math.exp(-1.8), 15); // j = 18: (−1)^19
  });

  it("features are N(0, Toeplitz(0.6^|i−j|)): means 0, variances 1, lag-1 covariance 0.6, lag-2 0.36", () => {
    // 4000 rows: s.e. of a mean 1/√4000 = 0.016, of a variance √(2/4000) = 0.022,
    // of a covariance ≈ √((1 + ρ²)/4000) ≤ 0.019 → tolerances 0.08 / 0.11 / 0.1
    for (let j = 1; j < 20; j++) {
      expect(Math.abs(columnMean(workers, j))).toBeLessThan(0.08);
      expect(Math.abs(columnCov(workers, j, j) - 1)).toBeLessThan(0.11);
    }
    for (let j = 1; j < 19; j++) expect(Math.abs(columnCov(workers, j, j + 1) - 0.6)).toBeLessThan(0.1);
    for (let j = 1; j < 18; j++) expect(Math.abs(columnCov(workers, j, j + 2) - 0.36)).toBeLessThan(0.1);
  });

  it("labels are xᵀ[2, w*] plus N(0, 0.4²) noise", () => {
    const res: number[] = [];
    for (const d of workers) for (let r = 0; r < d.n; r++) {
      let t = 0;
      for (let j = 0; j < 20; j++) t += d.X[r * 20 + j]! * wStar[j]!;
      res.push(d.y[r]! - t);
    }
    const { mean, std } = meanAndStd(res);
    // s.e. of the mean 0.4/√4000 = 0.0063, of the std 0.4/√8000 = 0.0045
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 0.4)).toBeLessThan(0.025);
  });

  it("the least-squares optimum recovers [2, w*] (each coordinate within 0.05)", () => {
    // s.e. of an OLS coefficient ≈ σ/√n · √((Σ⁻¹)_jj) ≤ 0.4/63 · 1.6 ≈ 0.01
    const w = lsrOptimum(workers);
    for (let j = 0; j < 20; j++) expect(Math.abs(w[j]! - wStar[j]!)).toBeLessThan(0.05);
  });
});

describe("lsrE2", () => {
  const opts = { n: 256, dim: 16, workers: 4, perWorker: 64, seed: 5 };
  const e2 = lsrE2(opts);

  it("is deterministic for a fixed seed", () => {
    const again = lsrE2(opts);
    expect(again.workers).toEqual(e2.workers);
    expect(again.full).toEqual(e2.full);
  });

  it("gives each worker m rows that are copies of base rows drawn with replacement", () => {
    for (let i = 0; i < 4; i++) {
      const d = e2.workers[i]!, rows = e2.rowsOfWorker[i]!;
      expect([d.n, d.p]).toEqual([64, 16]);
      for (let k = 0; k < 64; k++) {
        expect(d.X.subarray(k * 16, k * 16 + 16)).toEqual(e2.full.X.subarray(rows[k]! * 16, rows[k]! * 16 + 16));
        expect(d.y[k]).toBe(e2.full.y[rows[k]!]);
      }
    }
    // 256 draws of 256 rows: all distinct with probability 256!/256^256 ≈ 0, so repeats must show
    const all = e2.rowsOfWorker.flatMap((r) => Array.from(r));
    expect(new Set(all).size).toBeLessThan(all.length);
  });

  it("labels are xᵀθ plus N(0, 0.5²) noise on the base rows", () => {
    const res: number[] = [];
    for (let r = 0; r < 256; r++) {
      let t = 0;
      for (let j = 0; j < 16; j++) t += e2.full.X[r * 16 + j]! * e2.thetaTrue[j]!;
      res.push(e2.full.y[r]! - t);
    }
    // 256 residuals: s.e. of the std 0.5/√512 = 0.022
    expect(Math.abs(meanAndStd(res).std - 0.5)).toBeLessThan(0.11);
  });
});

describe("noise parameters", () => {
  it.each([
    ["syntheticLsr noiseStd NaN", () => syntheticLsr({ seed: 1, workers: 1, perWorker: 2, noiseStd: NaN }), /syntheticLsr: noiseStd must be a finite number ≥ 0/],
    ["syntheticLsr noiseStd −1", () => syntheticLsr({ seed: 1, workers: 1, perWorker: 2, noiseStd: -1 }), /syntheticLsr: noiseStd/],
    ["syntheticLsr intercept Infinity", () => syntheticLsr({ seed: 1, workers: 1, perWorker: 2, intercept: Infinity }), /syntheticLsr: intercept must be finite/],
    ["lsrE2 noiseStd NaN", () => lsrE2({ seed: 1, n: 4, dim: 2, workers: 1, perWorker: 2, noiseStd: NaN }), /lsrE2: noiseStd/],
  ])("%s is E_CONFIG, not NaN labels", (_what, make, message) => {
    expect(make).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(message) }));
  });
});
