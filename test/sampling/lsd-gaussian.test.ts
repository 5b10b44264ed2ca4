// LSD on the toy Gaussian (spec/langevin.md; spec/experiments.md E4) against its exact posterior
// N(ȳ, I/N). With the full gradient ∇U(θ) = N(θ − ȳ), each coordinate of the Euler chain is exactly
// the AR(1) θ_{k+1} − ȳ = φ(θ_k − ȳ) + √(2γ) Z with φ = 1 − γN, whose stationary law is
// N(ȳ, σ_γ²), σ_γ² = 2γ/(1 − φ²) = 1/(N(1 − γN/2)): the mean is unbiased and the variance carries
// the O(γ) discretisation bias 1/(1 − γN/2) − 1. The Monte-Carlo error then follows from the AR(1)
// effective sample sizes, n(1−φ)/(1+φ) for the mean and n(1−φ²)/(1+φ²) for the squares.
import { beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { lsd, sampleChain, Welford } from "../../src/sampling/index.js";
import { mean, toyModel } from "./helpers.js";

describe("LSD on the toy Gaussian", () => {
  const d = 10, n = 40_000, burnIn = 500;
  const { toy, model } = toyModel(4, d, 50, 3);
  const N = model.totalRows, gamma = 0.1 / N, phi = 1 - gamma * N;
  const sigma2 = 1 / (N * (1 - (gamma * N) / 2));
  const w = new Welford(d);

  beforeAll(async () => {
    await ready();
    // θ_0 = 0 is ~|ȳ|/σ ≈ 40 sds away; burn-in 500 shrinks that by φ^500 ≈ 1e-23
    for (const s of sampleChain(lsd(model, { stepSize: gamma }).init({ seed: 7 }), { samples: n, burnIn })) w.push(s.theta);
  });

  it("estimates the posterior mean ȳ within 4 Monte-Carlo standard errors in every coordinate", () => {
    const essMean = (n * (1 - phi)) / (1 + phi); // ≈ 2105
    const se = Math.sqrt(sigma2 / essMean);
    // 10 coordinates, P(any |z| > 4) ≈ 10 · 6.3e-5
    for (let j = 0; j < d; j++) expect(Math.abs(w.mean[j]! - toy.posteriorMean[j]!)).toBeLessThan(4 * se);
  });

  it("estimates the variance of the Euler chain, 1/(N(1 − γN/2)), within 4 standard errors (pooled over coordinates)", () => {
    const essSq = (n * (1 - phi * phi)) / (1 + phi * phi);
    const sdPooled = Math.sqrt(2 / essSq / d); // relative sd of the mean of d independent variance estimates
    const ratio = mean(w.variance()) / sigma2;
    expect(Math.abs(ratio - 1)).toBeLessThan(4 * sdPooled);
  });

  it("matches the exact posterior variance 1/N up to the O(γ) bias γN/2/(1 − γN/2) plus the Monte-Carlo tolerance", () => {
    const bias = (gamma * N) / 2 / (1 - (gamma * N) / 2); // 5.3 % at γN = 0.1
    const essSq = (n * (1 - phi * phi)) / (1 + phi * phi);
    const tol = bias + 4 * Math.sqrt(2 / essSq / d) * (1 + bias);
    expect(Math.abs(mean(w.variance()) * N - 1)).toBeLessThan(tol);
  });
});
