// E5's pieces that are not TF.js: the DoStoVoQ-normalised bucket norms, the density histogram,
// and the bits-to-target read-out (the run itself is smoked by `fedquant e5 --quick` in CI).
import { expect, it } from "vitest";
import { bucketNorms, gaussianNorms, histogram, quantile } from "../../src/experiments/e5-buckets.js";
import { bitsToTarget, settledRound } from "../../src/experiments/e5-report.js";
import type { E5Trace } from "../../src/experiments/e5-run.js";

it("bucket norms after g·√D/‖g‖: Σ ρ_b² = D when d divides D, so the mean ρ² is d", () => {
  const g = Array.from({ length: 64 }, (_, i) => Math.sin(i + 1) * (i % 5));
  const rho = bucketNorms(g, 16);
  expect(rho).toHaveLength(4);
  expect(rho.reduce((s, r) => s + r * r, 0)).toBeCloseTo(64, 10);
  // the scale does not matter
  expect(bucketNorms(g.map((v) => 1e-3 * v), 16)).toEqual(rho.map((r) => expect.closeTo(r, 10)));
  expect(bucketNorms(new Array(32).fill(0), 16)).toEqual([]);
});

it("Gaussian bucket norms follow χ_16: E‖z‖² = 16, median ≈ √(16 − 2/3) (tolerance: 20,000 draws, sd of the mean of ‖z‖² is √(32/20000) ≈ 0.04)", () => {
  const r = gaussianNorms(20_000, 3);
  const m2 = r.reduce((s, x) => s + x * x, 0) / r.length;
  expect(Math.abs(m2 - 16)).toBeLessThan(0.2); // 5 sd
  expect(Math.abs(quantile(r, 0.5) - Math.sqrt(16 - 2 / 3))).toBeLessThan(0.05);
});

it("a density histogram integrates to 1 and counts values above the top in the last bin", () => {
  const h = histogram([0.1, 0.2, 0.9, 5], 1, 4);
  const w = h.edges[1]! - h.edges[0]!;
  expect(h.density.reduce((s, d) => s + d * w, 0)).toBeCloseTo(1, 12);
  expect(h.density.map((d) => d * w * 4)).toEqual([2, 0, 0, 2]);
});

it("bits to target: the first evaluated round at or above the target, with its cumulative bits", () => {
  const t = { rounds: [0, 10, 20, 30], accuracy: [0.1, 0.94, 0.951, 0.96], bitsUp: [0, 100, 200, 300], bitsDown: [0, 10, 20, 30] } as unknown as E5Trace;
  expect(bitsToTarget(t, 0.95)).toEqual({ round: 20, up: 200, down: 20 });
  expect(bitsToTarget(t, 0.99)).toBeUndefined();
});

it("settled round: where accuracy stays ≥ target to the end, with the oscillation flagged", () => {
  const t = { rounds: [0, 10, 20, 30, 40], accuracy: [0.1, 0.96, 0.93, 0.951, 0.97], bitsUp: [0, 1, 2, 3, 4], bitsDown: [0, 1, 2, 3, 4] } as unknown as E5Trace;
  expect(bitsToTarget(t, 0.95)!.round).toBe(10); // first crossing, as docs/tfjs.md reports it
  expect(settledRound(t, 0.95)).toEqual({ round: 30, oscillated: true });
  expect(settledRound({ ...t, accuracy: [0.1, 0.5, 0.96, 0.97, 0.98] } as unknown as E5Trace, 0.95)).toEqual({ round: 20, oscillated: false });
  expect(settledRound({ ...t, accuracy: [0.1, 0.96, 0.5, 0.5, 0.5] } as unknown as E5Trace, 0.95)).toEqual({ round: null, oscillated: true });
});
