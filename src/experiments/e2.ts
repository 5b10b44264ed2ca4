// Experiment E2 (spec/experiments.md; Leconte et al. 2021, StoVoQ/DoStoVoQ): DoStoVoQ on least
// squares — n = 2^14 rows, D = 2^9, buckets of d = 16, K = 32 workers each holding m = 2^11 rows
// drawn with replacement. Full-precision GD against HSQ-greedy and DoStoVoQ at ~1 bit per
// coordinate up, full batch, γ = 1/L (L = λ_max of the Hessian of F, its exact smoothness
// constant), excess loss against iterations and bits. E2 is an ordinary run config (problem kind
// "lsr-e2", problems.ts / e2-problem.ts) run and reported by `fedquant run`'s runner.
import type { RunConfig } from "./run-config.js";
import { parseRunConfig } from "./run-config.js";

/** DoStoVoQ's default quantizer: unbiased StoVoQ with a quantized norm, 2^13 codewords + 3 radius bits. */
export const E2_DOSTOVOQ = { name: "dostovoq", params: { quantizer: "stovoq", d: 16, codebookBits: 13, radiusBits: 3, variant: "quantized" } };
/**
 * HSQ-greedy through DoStoVoQ's bucket interface (g·√D/‖g‖ then per-bucket HSQ), 2^10 unit
 * codewords + a 6-bit scalar: the same 16 bits per bucket and the same 32 + 32 bits per message
 * (‖g‖, grid step) as DoStoVoQ, so the two differ only by the per-bucket quantizer.
 */
export const E2_HSQ = { name: "dostovoq", params: { quantizer: "hsq", d: 16, codebookBits: 10, scalarBits: 6, variant: "greedy" } };

export const E2_FULL = { n: 2 ** 14, dim: 2 ** 9, workers: 32, perWorker: 2 ** 11, iterations: 100 } as const;
/** CI size (a few seconds): the same ratios m/D = 4 and n/m = 8, 16 workers, 40 iterations. */
export const E2_QUICK = { n: 2 ** 11, dim: 2 ** 6, workers: 16, perWorker: 2 ** 8, iterations: 40 } as const;

export function e2Config(opts: { quick?: boolean; seed?: number } = {}): RunConfig {
  const s = opts.quick ? E2_QUICK : E2_FULL;
  const seed = opts.seed ?? 1;
  return parseRunConfig({
    name: `e2-lsr${opts.quick ? "-quick" : ""}`,
    description: "Experiment E2: DoStoVoQ on least squares — full-precision GD, HSQ-greedy and DoStoVoQ (≈ 1 bit per coordinate up), plus DoStoVoQ-VR-DIANA; full batch, γ = 1/L.",
    problem: { kind: "lsr-e2", n: s.n, dim: s.dim, workers: s.workers, perWorker: s.perWorker, seed, noiseStd: 0.5 },
    iterations: s.iterations,
    batch: "full",
    gamma: "1/L",
    seed,
    // every compressing entry names its uplink; the downlink is the f32 update (qsgd, diana, sgd)
    up: E2_DOSTOVOQ,
    down: { name: "identity" },
    algorithms: [
      { name: "sgd", label: "GD (full precision)" },
      { name: "qsgd", label: "HSQ-greedy (2^10 + 6-bit scalar)", up: E2_HSQ },
      { name: "dostovoq-sgd", label: "DoStoVoQ (2^13 + 3 radius bits)", up: E2_DOSTOVOQ },
      { name: "dostovoq-vr-diana", label: "DoStoVoQ-VR-DIANA", up: E2_DOSTOVOQ },
    ],
    evalEvery: 1,
    target: 1e-6,
  }, `E2${opts.quick ? " (quick)" : ""}`);
}
