// Experiment E2 (spec/experiments.md; Leconte et al. 2021, StoVoQ/DoStoVoQ): the lsr-e2 problem's
// exact optimum and spectrum, the E2 configs, and the quick run — its files, and DoStoVoQ's excess
// loss against a bound derived from its variance ω around GD's trajectory at equal iterations.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { gram, lsrOptimum, federatedLoss } from "../../src/models/index.js";
import { e2Config, E2_DOSTOVOQ, E2_QUICK } from "../../src/experiments/e2.js";
import { extremeEigenvalues } from "../../src/experiments/e2-problem.js";
import { buildProblem, type Problem } from "../../src/experiments/problems.js";
import { parseRunConfig } from "../../src/experiments/run-config.js";
import { runExperiment, type RunOutput } from "../../src/experiments/run.js";

const example = (f: string) => JSON.parse(readFileSync(join(__dirname, "../../examples", f), "utf8"));

describe("E2 configs", () => {
  it("examples/e2-lsr.json and e2-lsr-quick.json are exactly what `fedquant e2 [--quick]` runs", () => {
    expect(parseRunConfig(example("e2-lsr.json"))).toEqual(e2Config());
    expect(parseRunConfig(example("e2-lsr-quick.json"))).toEqual(e2Config({ quick: true }));
  });

  it("examples/e2-lsr-half-step.json is E2's problem with DoStoVoQ alone at γ = 1/(2L)", () => {
    const c = parseRunConfig(example("e2-lsr-half-step.json"));
    expect(c.problem).toEqual(e2Config().problem);
    expect(c.gamma).toBe("1/(2L)");
    expect(c.algorithms.map((a) => a.name)).toEqual(["dostovoq-sgd"]);
  });

  it("is the spec's full size: n = 2^14, D = 2^9, K = 32, m = 2^11, buckets of 16, 2^13 codewords + 3 radius bits", () => {
    const c = e2Config();
    expect(c.problem).toMatchObject({ kind: "lsr-e2", n: 2 ** 14, dim: 2 ** 9, workers: 32, perWorker: 2 ** 11 });
    expect(c.algorithms.find((a) => a.name === "dostovoq-sgd")!.up).toEqual({ name: "dostovoq", params: { quantizer: "stovoq", d: 16, codebookBits: 13, radiusBits: 3, variant: "quantized" } });
    expect(c.gamma).toBe("1/L");
  });
});

describe("lsr-e2 problem", () => {
  it("finds λ_min and λ_max by inertia bisection to 1e-10 relative (a rotated diagonal matrix)", () => {
    const lam = [0.5, 2, 3.25], c = Math.cos(0.7), s = Math.sin(0.7);
    const Q = [c, -s, 0, s, c, 0, 0, 0, 1]; // rotation in the (0, 1) plane
    const A = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) A[i * 3 + j] += Q[i * 3 + k]! * lam[k]! * Q[j * 3 + k]!;
    const e = extremeEigenvalues(A, 3);
    expect(Math.abs(e.min - 0.5) / 0.5).toBeLessThan(1e-9);
    expect(Math.abs(e.max - 3.25) / 3.25).toBeLessThan(1e-9);
  });

  it("has the federated optimum and spectrum: w*, L and μ from the base rows equal those of the workers' K·m rows", () => {
    const p = buildProblem({ kind: "lsr-e2", n: 512, dim: 16, workers: 6, perWorker: 64, seed: 3, noiseStd: 0.5 }) as Problem & { mu: number };
    const w = lsrOptimum(p.workers);
    const f = federatedLoss(p.objective, w, p.workers);
    expect(Math.abs(p.optimum.fStar - f) / f).toBeLessThan(1e-12);
    expect(p.optimum.gradNorm).toBeLessThan(1e-12);
    // every worker holds 64 rows, so the Hessian of F is the plain Gram of all rows / (6·64)
    const X = new Float64Array(6 * 64 * 16);
    p.workers.forEach((d, i) => X.set(d.X, i * 64 * 16));
    const e = extremeEigenvalues(gram(X, 6 * 64, 16, 1 / (6 * 64)), 16);
    expect(Math.abs(e.max - p.L) / p.L).toBeLessThan(1e-9);
    expect(Math.abs(e.min - p.mu) / p.mu).toBeLessThan(1e-9);
  });

  it("rejects a size whose data cannot be held in one array with E_CONFIG, before allocating", () => {
    expect(() => buildProblem({ kind: "lsr-e2", n: 2 ** 20, dim: 2 ** 10, workers: 2, perWorker: 4, seed: 1, noiseStd: 0.5 })).toThrow(/E_CONFIG.*reduce n/);
  });

  it("rejects a problem with fewer distinct rows than D (F not strongly convex) with E_CONFIG", () => {
    expect(() => buildProblem({ kind: "lsr-e2", n: 8, dim: 16, workers: 2, perWorker: 8, seed: 1, noiseStd: 0.5 })).toThrow(/E_CONFIG.*strongly convex/);
  });
});

describe("fedquant e2 --quick", () => {
  let out: string, r: RunOutput;
  beforeAll(async () => {
    await ready();
    out = mkdtempSync(join(tmpdir(), "fedquant-e2-"));
    r = await runExperiment(e2Config({ quick: true }), { outDir: out });
  });
  const traj = (label: string) => r.trajectories.find((t) => t.label.startsWith(label))!;

  it("writes results JSON/CSV, the four SVG figures and the HTML report", () => {
    for (const f of ["e2-lsr-quick.json", "e2-lsr-quick.csv", "excess-vs-iterations.svg", "excess-vs-bits.svg", "excess-vs-bits-up.svg", "excess-vs-bits-down.svg", "report.html"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    for (const l of ["GD (full precision)", "HSQ-greedy", "DoStoVoQ (2^13", "DoStoVoQ-VR-DIANA"]) expect(html).toContain(l);
  });

  it("sends HSQ-greedy and DoStoVoQ at the same uplink bits: 32 (‖g‖) + 32 (grid step) + 16 per bucket, ~1 bit/coordinate", () => {
    const perRound = E2_QUICK.workers * (64 + (E2_QUICK.dim / 16) * 16);
    expect(traj("HSQ-greedy").bitsUp[1]).toBe(perRound);
    expect(traj("DoStoVoQ (").bitsUp[1]).toBe(perRound);
    expect(traj("GD").bitsUp[1]).toBe(E2_QUICK.workers * 32 * E2_QUICK.dim);
  });

  /*
   * The bound. F(w) − F* = ½ eᵀAe with e = w − w*, A = (1/K) Σ A_i, g_i(w) = A_i e + h_i,
   * h_i = ∇F_i(w*). DoStoVoQ-SGD: e' = P e − γξ, P = I − γA, ξ = (1/K) Σ_i (C_i(g_i) − g_i),
   * the C_i independent and unbiased with E‖C(x) − x‖² ≤ ω‖x‖² (ω = the compressor's omega(D),
   * its worst case over vectors). Unrolled, the cross terms vanish (E[ξ_j | past] = 0):
   *   E Φ_k = G_k + (γ²/2) Σ_{j<k} E[ξ_jᵀ P^t A P^t ξ_j],  t = k − 1 − j,
   * where G_k = ½ e_0ᵀ P^k A P^k e_0 is GD's excess loss at iteration k (same γ, same w_0).
   * With γ = 1/L, ‖P^t A P^t‖ ≤ L q^t, q = (1 − μ/L)², and
   *   E‖ξ_j‖² ≤ (ω/K) (1/K) Σ_i ‖g_i‖² ≤ (ω/K)(4 L_max Φ_j + 2B²),  B² = (1/K) Σ ‖h_i‖²,
   * (‖A_i e‖² ≤ L_i eᵀA_i e), so E Φ_k ≤ Φ̄_k = G_k + N_k with
   *   N_k = q N_{k−1} + (ω/(KL)) (2 L_max Φ̄_{k−1} + B²),  N_0 = 0.
   * Φ̄_k/G_k is the factor by which DoStoVoQ may trail GD at equal iterations; it is finite and
   * small while G_k dominates and grows once GD is below DoStoVoQ's floor (ω B²/(KL) / (1 − ρ)).
   * Tolerance: one run against an expectation, so Markov — P(Φ_k > 10 E Φ_k) ≤ 1/10 (the bound
   * is loose: measured margins are far larger). f32 rounding of the wire is ~1e-7 relative.
   */
  it("DoStoVoQ's excess loss decreases and stays within 10 × the ω-bound around GD's at equal iterations", async () => {
    const p = r.problem as Problem & { mu: number }, K = p.workers.length, D = p.objective.dim, L = p.L, mu = p.mu;
    const omega = createCompressor(E2_DOSTOVOQ.name, E2_DOSTOVOQ.params).omega(D);
    const w = Float64Array.from(p.optimum.wStar), g = new Float64Array(D);
    let B2 = 0, Lmax = 0;
    for (const d of p.workers) {
      p.objective.grad(w, d, g);
      B2 += g.reduce((s, v) => s + v * v, 0) / K;
      Lmax = Math.max(Lmax, extremeEigenvalues(gram(d.X, d.n, D, 1 / d.n), D, 1e-8).max);
    }
    const q = (1 - mu / L) ** 2, c = omega / (K * L), rho = q + 2 * Lmax * c;
    expect(rho, "the bound contracts at this size (K large enough for ω)").toBeLessThan(1);
    const gd = traj("GD").excessLoss, dsq = traj("DoStoVoQ (").excessLoss, T = gd.length - 1;
    const bound = [dsq[0]!];
    let N = 0;
    for (let k = 1; k <= T; k++) { N = q * N + c * (2 * Lmax * bound[k - 1]! + B2); bound.push(Math.max(gd[k]!, 0) + N); }
    expect(dsq[T]!).toBeLessThan(dsq[0]! / 10);
    for (const k of [1, 3, T]) {
      expect(dsq[k]!, `iteration ${k}: GD ${gd[k]!.toExponential(2)}, bound Φ̄ ${bound[k]!.toExponential(2)} (ω = ${omega.toFixed(2)}, K = ${K})`).toBeLessThanOrEqual(10 * bound[k]!);
    }
  });

  it("DoStoVoQ-VR-DIANA's memory removes the heterogeneity floor: 100× below DoStoVoQ-SGD at the end", () => {
    const last = (t: { excessLoss: number[] }) => t.excessLoss[t.excessLoss.length - 1]!;
    expect(last(traj("DoStoVoQ-VR-DIANA"))).toBeLessThan(last(traj("DoStoVoQ (")) / 100);
  });
});
