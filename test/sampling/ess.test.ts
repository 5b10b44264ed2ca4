// Effective sample size and split R̂ (spec/langevin.md "Output") on chains whose answers are known.
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/random/index.js";
import { autocovariance, essBatchMeans, essImse, splitRhat } from "../../src/sampling/index.js";

function iid(n: number, seed: number, shift = 0): Float64Array {
  return Float64Array.from(RandomStream.of(seed, "test").normals(n), (v) => v + shift);
}

/** x_t = φ x_{t−1} + √(1−φ²) ε_t started in its stationary law: τ = (1+φ)/(1−φ). */
function ar1(n: number, phi: number, seed: number): Float64Array {
  const e = RandomStream.of(seed, "test").normals(n);
  const x = new Float64Array(n);
  x[0] = e[0]!;
  const s = Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1]! + s * e[t]!;
  return x;
}

describe("autocovariance", () => {
  it("equals the direct O(n²) sum (FFT with zero padding, not circular)", () => {
    const x = ar1(301, 0.7, 3);
    const g = autocovariance(x);
    const m = x.reduce((a, b) => a + b) / x.length;
    for (const t of [0, 1, 5, 150, 300]) {
      let s = 0;
      for (let i = 0; i + t < x.length; i++) s += (x[i]! - m) * (x[i + t]! - m);
      expect(g[t]!).toBeCloseTo(s / x.length, 10);
    }
  });
});

describe("essImse", () => {
  it("gives ≈ n for i.i.d. draws (within 15%: τ̂ sums a few autocorrelations of sd 1/√n = 0.01 each)", () => {
    const n = 10_000;
    expect(Math.abs(essImse([iid(n, 1)]) / n - 1)).toBeLessThan(0.15);
  });

  it("gives n(1−φ)/(1+φ) for an AR(1) chain, φ = 0.5 (within 15%, ≈ 3 sd of τ̂ by Sokal's var(τ̂) ≈ 2(2M+1)τ²/n)", () => {
    const n = 30_000, phi = 0.5;
    expect(Math.abs(essImse([ar1(n, phi, 2)]) / ((n * (1 - phi)) / (1 + phi)) - 1)).toBeLessThan(0.15);
  });

  it("pools several chains: four AR(1) chains give ≈ 4 times one chain's ESS", () => {
    const n = 10_000, phi = 0.8, expected = (4 * n * (1 - phi)) / (1 + phi);
    expect(Math.abs(essImse([ar1(n, phi, 10), ar1(n, phi, 11), ar1(n, phi, 12), ar1(n, phi, 13)]) / expected - 1)).toBeLessThan(0.15);
  });
});

describe("essBatchMeans", () => {
  it("gives n(1−φ)/(1+φ) for an AR(1) chain within 35% (≈ 3 sd: √n = 173 batches give a relative sd of √(2/173) ≈ 0.11)", () => {
    const n = 30_000, phi = 0.5;
    expect(Math.abs(essBatchMeans(ar1(n, phi, 4)) / ((n * (1 - phi)) / (1 + phi)) - 1)).toBeLessThan(0.35);
  });
});

describe("splitRhat", () => {
  it("is ≈ 1 (< 1.01) for four well-mixed chains (R̂ − 1 = O(1/n) for n = 2000 draws)", () => {
    const r = splitRhat([iid(2000, 21), iid(2000, 22), iid(2000, 23), iid(2000, 24)]);
    expect(r).toBeGreaterThan(0.99);
    expect(r).toBeLessThan(1.01);
  });

  it("is > 1.1 for chains stuck 1 sd apart", () => {
    expect(splitRhat([iid(1000, 31), iid(1000, 32, 1), iid(1000, 33), iid(1000, 34, 1)])).toBeGreaterThan(1.1);
  });

  it("is > 1.1 for one chain drifting (its two halves disagree)", () => {
    const x = iid(2000, 41).map((v, t) => v + (t < 1000 ? 0 : 1.5));
    expect(splitRhat([x])).toBeGreaterThan(1.1);
  });
});
