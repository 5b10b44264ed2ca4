// QLSD++ against QLSD# on the heterogeneous toy Gaussian at equal bits (spec/langevin.md "Theory to
// respect"; QLSD, Vono et al. 2022): QLSD#'s compressed gradient N_i(θ − ȳ_i) stays large near
// the mode (clients' means differ by ~5 per coordinate), so its compression noise does not vanish;
// QLSD++'s control variates and memory shrink what is compressed toward zero.
import { beforeAll, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { qlsdPlusPlus, qlsdSharp, sampleChain, Welford, type SamplingAlgorithm } from "../../src/sampling/index.js";
import { mse, toyModel } from "./helpers.js";

beforeAll(async () => { await ready(); });

it("QLSD++ (memory on) has a lower posterior-mean MSE than QLSD# with the same compressor, steps and uplink bits", () => {
  const d = 50;
  const { toy, model } = toyModel(10, d, 50, 2);
  const N = model.totalRows, gamma = 0.5 / N;
  const C = createCompressor("qsgd", { s: 16 });
  const run = (alg: SamplingAlgorithm) => {
    const w = new Welford(d);
    let bits = 0;
    for (const s of sampleChain(alg.init({ seed: 4 }), { samples: 2000, burnIn: 100 })) { w.push(s.theta); bits = s.bits.upPayload; }
    return { mse: mse(w.mean, toy.posteriorMean), bits };
  };
  const sharp = run(qlsdSharp(model, { stepSize: gamma, batchSize: 5, compressor: C }));
  const pp = run(qlsdPlusPlus(model, { stepSize: gamma, batchSize: 5, compressor: C, refresh: 20 }));
  // QSGD with fixed-width coding: every message has the same size, so equal steps ⇒ equal bits
  expect(pp.bits).toBe(sharp.bits);
  // Per-step variance: QLSD# adds ≈ Σ_i d·(‖g_i‖/s)²/6 of compression noise (≈ 20× the Langevin
  // noise 2γ here), QLSD++ almost none; the MSE of the mean scales with it. Over 5 seeds the ratio
  // was 9–27. Each MSE pools 50 coordinates (relative sd √(2/50) = 0.2), so a factor 3 leaves
  // > 4 sd of margin on the log scale.
  expect(pp.mse * 3).toBeLessThan(sharp.mse);
});
