// The Artemis authors' "Dore" (artemis-ef) and DORE (Liu et al. 2019) with β = 1 are one algorithm
// written in two units, for any compressor that is odd and positively homogeneous under shared
// randomness, C(λx) = λC(x) for λ ≠ 0 (QSGD's s-quantization, top-k, scaled sign):
//   artemis-ef: v = ĝ + ηe_A, ω = C(v), e_A = v − ω, w −= γω          (error in gradient units)
//   DORE:       q = ηe_D − γĝ, q̂ = C(q), e_D = q − q̂, x += q̂          (error in model units)
// By induction e_D = −γ e_A: q = −γ(ĝ + ηe_A) = −γv, q̂ = C(−γv) = −γω, e_D = −γ(v − ω), x += −γω.
// So the two trajectories agree up to float32 rounding of the compressed input (v vs −γv, 2^-24
// relative), and the errors satisfy e_D = −γ e_A. The same η means the same algorithm: the
// authors' η = γ is DORE's η = γ. (A compressor without that symmetry — none of these — or β ≠ 1
// tells them apart.)
import { describe, expect, it } from "vitest";
import { createAlgorithm, type AlgorithmConfig } from "../../../src/algorithms/index.js";
import { drive, heterogeneousLsr, useKernel } from "../helpers.js";

useKernel();
const P = heterogeneousLsr(4, 16, 6, 11);
const gamma = 0.3 / P.L;

describe("artemis-ef is DORE with β = 1 in gradient units", () => {
  const cases: [string, Partial<AlgorithmConfig>][] = [
    ["QSGD s = 2 both ways, default η", { up: { name: "qsgd", params: { s: 2 } }, down: { name: "qsgd", params: { s: 2 } } }],
    ["top-2 downlink, η = 0.5", { down: { name: "topk", params: { k: 2 } }, alpha: 0.2, eta: 0.5 }],
    ["scaled sign downlink, η = γ (the authors' coefficient)", { down: { name: "sign", params: { bucket: 0 } }, alpha: 0.2, eta: Math.min(1, gamma) }],
  ];
  for (const [what, cfg] of cases) {
    it(`${what}: same models and e_DORE = −γ e_EF over 80 rounds`, () => {
      const ef = drive(createAlgorithm("artemis-ef", { gamma, ...cfg }), P.workers, P.objective, 80, 5, { batch: 4 });
      const dore = drive(createAlgorithm("dore", { gamma, beta: 1, ...cfg }), P.workers, P.objective, 80, 5, { batch: 4 });
      let dw = 0, moved = 0;
      ef.models.forEach((w, k) => w.forEach((v, t) => { dw = Math.max(dw, Math.abs(v - dore.models[k]![t]!) / (1 + Math.abs(v))); moved = Math.max(moved, Math.abs(v)); }));
      expect(moved, "the model moves").toBeGreaterThan(0.1);
      // float32 rounding of v vs −γv before compression, carried by the errors: ≤ 1e-6 relative
      expect(dw).toBeLessThanOrEqual(1e-6);
      const eA = ef.server.inspect().error!, eD = dore.server.inspect().error!;
      expect(Math.max(...Array.from(eA, Math.abs)), "the error is not trivially 0").toBeGreaterThan(1e-4);
      eA.forEach((v, t) => expect(Math.abs(eD[t]! + gamma * v)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(eD[t]!))));
    });
  }
});
