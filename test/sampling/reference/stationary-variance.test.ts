// The stationary variance of QLSD# and QLSD* on the toy Gaussian with rand-k, in closed form
// (issue #11). U_i(θ) = Σ_j ‖θ − y_ij‖²/2, so ∇U_i(θ) = N_i(θ − ȳ_i) and, with full local
// gradients, client i sends C(N_i(θ − c_i)) with c_i = ȳ_i (QLSD#) or the control variate
// removed, N_i(θ − θ*) (QLSD*, i.e. c_i = θ* = ȳ). Rand-k is unbiased with per-coordinate variance
// (D/k − 1)x_j², independently across clients, so with e = θ_j − ȳ_j (N = Σ N_i, ȳ the posterior mean)
//   e' = (1 − γN) e − γ Σ_i ξ_i + √(2γ) Z,   E[ξ_i² | θ] = (D/k − 1) N_i² (e + ȳ_j − c_ij)²
// and at stationarity (E e = 0) v_j = E e²:
//   v_j = [2γ + γ²(D/k − 1) Σ_i N_i² (ȳ_j − c_ij)²] / [1 − (1 − γN)² − γ²(D/k − 1) Σ_i N_i²].
// Monte-Carlo error: the chain's θ_kj − ȳ_j is averaged squared over T steps after burn-in and its
// standard error estimated by batch means (B batches of T/B steps; the autocorrelation of e² decays
// like (1 − γN)^{2k} = 0.25^k here, so batches of 100 steps are independent to 0.25^100); we accept
// |v̂_j − v_j| ≤ 4.5 SE (t with B − 1 = 19 d.o.f.: two-sided p ≈ 2.5e-4 per coordinate). The two
// formulas differ by a factor of 9–50 here (≫ 4.5 SE ≈ 15–25 %), so each test also rules out the other
// algorithm's law.
import { describe, expect, it } from "vitest";
import { createCompressor } from "../../../src/compressors/index.js";
import { ready } from "../../../src/kernel/index.js";
import { qlsdSharp, qlsdStar, type SamplingAlgorithm } from "../../../src/sampling/index.js";
import { toyModel } from "../helpers.js";

await ready();
const b = 4, D = 4, n = 10, k = 2;
const { toy, model } = toyModel(b, D, n, 8);
const N = b * n, gamma = 0.5 / N;
const C = createCompressor("randk", { k });
const ybar = Array.from(toy.posteriorMean);
const clientMean = toy.clients.map((c) => Array.from({ length: D }, (_, j) => { let s = 0; for (let r = 0; r < n; r++) s += c.X[r * D + j]!; return s / n; }));

function closedForm(c: (i: number, j: number) => number, j: number): number {
  const w = D / k - 1;
  let num = 2 * gamma, den = 1 - (1 - gamma * N) ** 2;
  for (let i = 0; i < b; i++) {
    num += gamma * gamma * w * n * n * (ybar[j]! - c(i, j)) ** 2;
    den -= gamma * gamma * w * n * n;
  }
  return num / den;
}

const BURN = 100, B = 20, PER = 100;

function monteCarlo(alg: SamplingAlgorithm): { v: number[]; se: number[] } {
  const chain = alg.init({ seed: 12, theta0: Float64Array.from(ybar) });
  for (let t = 0; t < BURN; t++) chain.step();
  const batches = Array.from({ length: B }, () => new Array<number>(D).fill(0));
  for (let bt = 0; bt < B; bt++) for (let t = 0; t < PER; t++) {
    chain.step();
    for (let j = 0; j < D; j++) batches[bt]![j] += (chain.theta[j]! - ybar[j]!) ** 2 / PER;
  }
  const v = Array.from({ length: D }, (_, j) => batches.reduce((s, x) => s + x[j]!, 0) / B);
  const se = Array.from({ length: D }, (_, j) => Math.sqrt(batches.reduce((s, x) => s + (x[j]! - v[j]!) ** 2, 0) / (B - 1) / B));
  return { v, se };
}

describe("QLSD on the toy Gaussian with rand-k: stationary variance = closed form within Monte-Carlo error", () => {
  const sharpLaw = Array.from({ length: D }, (_, j) => closedForm((i, jj) => clientMean[i]![jj]!, j));
  const starLaw = Array.from({ length: D }, (_, j) => closedForm(() => ybar[j]!, j));

  it("the two laws are far apart (the test can tell QLSD# from QLSD*)", () => {
    for (let j = 0; j < D; j++) expect(sharpLaw[j]!).toBeGreaterThan(5 * starLaw[j]!);
  });

  it("QLSD#: v_j with c_i = ȳ_i", () => {
    const mc = monteCarlo(qlsdSharp(model, { stepSize: gamma, compressor: C }));
    for (let j = 0; j < D; j++) expect(Math.abs(mc.v[j]! - sharpLaw[j]!), `coordinate ${j}: ${mc.v[j]} vs ${sharpLaw[j]} (SE ${mc.se[j]})`).toBeLessThanOrEqual(4.5 * mc.se[j]!);
  });

  it("QLSD*: v_j with c_i = θ* (the compression noise vanishes at the mode)", () => {
    const mc = monteCarlo(qlsdStar(model, { stepSize: gamma, compressor: C, thetaStar: Float64Array.from(ybar) }));
    for (let j = 0; j < D; j++) expect(Math.abs(mc.v[j]! - starLaw[j]!), `coordinate ${j}: ${mc.v[j]} vs ${starLaw[j]} (SE ${mc.se[j]})`).toBeLessThanOrEqual(4.5 * mc.se[j]!);
  });
});
