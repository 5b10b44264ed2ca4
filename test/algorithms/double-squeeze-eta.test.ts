// DoubleSqueeze's damped error feedback (option eta, issue #11 item 2/5): η = 1 is Tang et al.'s
// algorithm bit for bit; the error recursion δ_{k+1} = u − C(u), u = g + ηδ_k, has
// E‖δ_{k+1}‖² = ω(u)‖u‖² with ω(u) = ‖u‖₁/‖u‖₂ − 1 for QSGD s = 1 ℓ2 (Σ_i |u_i|(‖u‖ − |u_i|)),
// up to √D − 1 = 4.66 in D = 32 — so with η = 1 the error grows geometrically whatever γ, and with
// η²·ω_max < 1 it stays bounded.
import { describe, expect, it } from "vitest";
import { createAlgorithm } from "../../src/algorithms/index.js";
import { simulate } from "../../src/federation/simulator.js";
import { heterogeneousLsr } from "./helpers.js";

const Q = heterogeneousLsr(5, 40, 32);
const qsgd = { name: "qsgd", params: { s: 1, norm: "l2" } };

/** max over rounds of the server's ‖δ‖₂ (its error-feedback memory) */
function errorGrowth(eta: number | undefined, gamma: number, iterations: number): { maxErr: number; final: number[] } {
  const algo = createAlgorithm("double-squeeze", { gamma, up: qsgd, down: qsgd, ...(eta === undefined ? {} : { eta }) });
  let maxErr = 0;
  const r = simulate({
    algorithm: algo, objective: Q.objective, workers: Q.workers, iterations, seed: 3, wStar: Q.wStar,
    onIteration: ({ server }) => { const e = server.inspect().error!; maxErr = Math.max(maxErr, Math.hypot(...e)); },
  });
  return { maxErr, final: r.excessLoss! };
}

describe("DoubleSqueeze eta", () => {
  it("eta = 1 is the default algorithm bit for bit", () => {
    const a = errorGrowth(undefined, 0.5 / Q.L, 30), b = errorGrowth(1, 0.5 / Q.L, 30);
    expect(b.final).toEqual(a.final);
  });

  it("with eta = 1 and unbiased l2 QSGD s = 1 the error blows up even at a 16× smaller step; eta = 1/(√D) keeps it bounded", () => {
    // growth ≥ (ω(u))^(k/2) per round once δ dominates u; over 40 rounds with ω(u) ≈ 3 that is
    // ≫ 1e6 × ‖∇F(w0)‖. With η = 1/√32: η²(√32 − 1) = 0.15 < 1, ‖δ‖ stays of the order of the
    // gradients (≤ ‖g‖/(1 − 0.39) in expectation), asked below 100 × ‖∇F(w0)‖ (w0 = 0).
    const g0 = Math.hypot(...Q.wStar) * Q.L; // an upper scale of ‖∇F(0)‖ (‖∇F(0)‖ ≤ L‖w*‖)
    expect(errorGrowth(1, 1 / (16 * Q.L), 40).maxErr).toBeGreaterThan(1e6 * g0);
    expect(errorGrowth(1 / Math.sqrt(32), 0.5 / Q.L, 200).maxErr).toBeLessThan(100 * g0);
  });

  it("refuses eta outside [0, 1] (E_CONFIG)", () => {
    expect(() => createAlgorithm("double-squeeze", { gamma: 0.1, eta: 1.5 })).toThrow(/E_CONFIG.*eta/);
  });
});
