// The library's QLSD#, QLSD* and QLSD++ chains against the naive reference (naive-qlsd.ts) on the
// heterogeneous toy Gaussian, with minibatches and partial participation, sharing only the
// compressor and the streams; and QLSD++'s reference point: at every refresh step k (k mod ℓ = 0)
// each client's ζ is θ_k and its h^i is the full local gradient Σ_j (ζ − y_ij) (spec/langevin.md).
//
// Tolerance: rand-k picks its coordinates from the stream, independently of the values, so the
// map from gradients to θ is continuous; the two implementations sum the same terms in a
// different order, so they differ by float64 rounding, which can move a float32 rounding of an
// uplink or of the broadcast update by one float32 ulp (2^-24 relative of that vector, scaled by
// γ·D/k into θ). 1e-7 relative over 60 steps covers a few such flips and is still ~10^5× below a
// wrong rule (an O(γ‖g‖) change per step, γ‖g‖ ≈ 1e-2 here).
import { describe, expect, it } from "vitest";
import { createCompressor } from "../../../src/compressors/index.js";
import { ready } from "../../../src/kernel/index.js";
import { chainSeed, qlsdPlusPlus, qlsdSharp, qlsdStar } from "../../../src/sampling/index.js";
import { toyModel } from "../helpers.js";
import { naiveQlsd } from "./naive-qlsd.js";

await ready();
const b = 5, d = 6, n = 12, K = 60, seed = 77;
const { toy, model } = toyModel(b, d, n, 3);
const N = b * n, gamma = 0.3 / N;
const C = createCompressor("randk", { k: 2 });
const thetaStar = Float64Array.from(toy.posteriorMean);

function libraryRun(alg: ReturnType<typeof qlsdSharp>) {
  const chain = alg.init({ seed });
  const thetas: number[][] = [], zetas: (number[] | undefined)[][] = [], hs: (number[] | undefined)[][] = [], before: number[][] = [];
  for (let k = 0; k < K; k++) {
    before.push(Array.from(chain.theta));
    chain.step();
    thetas.push(Array.from(chain.theta));
    const o = chain.save().oracles as { zeta?: Float64Array; h?: Float64Array }[];
    zetas.push(o.map((s) => (s.zeta ? Array.from(s.zeta) : undefined)));
    hs.push(o.map((s) => (s.h ? Array.from(s.h) : undefined)));
  }
  return { thetas, zetas, hs, before };
}

function maxRel(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, k) => row.forEach((v, j) => { m = Math.max(m, Math.abs(v - b[k]![j]!) / (1 + Math.abs(b[k]![j]!))); }));
  return m;
}

describe("QLSD family: library chain = naive reference, step by step", () => {
  const cs = chainSeed(seed, 0);
  for (const [label, alg, ref] of [
    ["QLSD# (|S| = 4, m = 3 of 5)", () => qlsdSharp(model, { stepSize: gamma, batchSize: 4, compressor: C, participation: 3 }), { algorithm: "qlsd#", batch: 4, m: 3 }],
    ["QLSD* (|S| = 4, all clients)", () => qlsdStar(model, { stepSize: gamma, batchSize: 4, compressor: C, thetaStar }), { algorithm: "qlsd*", batch: 4, m: b, thetaStar: Array.from(thetaStar) }],
    ["QLSD++ (ℓ = 7, memory, |S| = 4)", () => qlsdPlusPlus(model, { stepSize: gamma, batchSize: 4, compressor: C, refresh: 7 }), { algorithm: "qlsd++", batch: 4, m: b, refresh: 7, alpha: 1 / (1 + C.omega(d)) }],
    ["QLSD++ (ℓ = 5, memory α = 0.1, m = 3 of 5)", () => qlsdPlusPlus(model, { stepSize: gamma, batchSize: 4, compressor: C, refresh: 5, alpha: 0.1, participation: 3 }), { algorithm: "qlsd++", batch: 4, m: 3, refresh: 5, alpha: 0.1 }],
    ["QLSD++ (ℓ = 6, no memory, full local gradients)", () => qlsdPlusPlus(model, { stepSize: gamma, compressor: C, refresh: 6, memory: false }), { algorithm: "qlsd++", batch: 0, m: b, refresh: 6, alpha: 0 }],
  ] as const) {
    it(`${label}: θ_1 … θ_${K} agree to 1e-7 relative`, () => {
      // built inside the test, so that mutation testing sees which test exercises the set-up
      const lib = libraryRun(alg());
      const r = naiveQlsd({ gamma, compressor: C, ...ref } as Parameters<typeof naiveQlsd>[0], toy.clients, cs, K);
      expect(Math.max(...lib.thetas.flat().map(Math.abs)), "the chain moves").toBeGreaterThan(0.05);
      expect(maxRel(lib.thetas, r.thetas)).toBeLessThanOrEqual(1e-7);
      if (ref.algorithm === "qlsd++") {
        for (let k = 0; k < K; k++) for (let i = 0; i < b; i++) {
          const a = lib.zetas[k]![i], c = r.zetas[k]![i];
          expect(a === undefined, `ζ of client ${i} after step ${k}`).toBe(c === undefined);
          if (a && c) expect(maxRel([a], [c])).toBeLessThanOrEqual(1e-7);
        }
      }
    });
  }
});

describe("QLSD++ refreshes its reference point", () => {
  it("full participation: at every k with k mod ℓ = 0, ζ^i = θ_k exactly and h^i = Σ_j (θ_k − y_ij)", () => {
    const ell = 4;
    const lib = libraryRun(qlsdPlusPlus(model, { stepSize: gamma, batchSize: 4, compressor: C, refresh: ell }));
    let refreshes = 0;
    for (let k = 0; k < K; k++) {
      const epochStart = k - (k % ell);
      for (let i = 0; i < b; i++) {
        // between refreshes ζ^i stays the θ of the epoch's first step
        expect(lib.zetas[k]![i], `ζ^${i} after step ${k}`).toEqual(lib.before[epochStart]);
        const y = toy.clients[i]!;
        const h = Array.from({ length: d }, (_, j) => { let s = 0; for (let r = 0; r < n; r++) s += lib.before[epochStart]![j]! - y.X[r * d + j]!; return s; });
        lib.hs[k]![i]!.forEach((v, j) => expect(Math.abs(v - h[j]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(h[j]!))));
      }
      if (k % ell === 0) refreshes++;
    }
    expect(refreshes).toBe(Math.ceil(K / ell));
    // the θ's it was refreshed at are different points (the test is not comparing a constant)
    expect(lib.before[ell]).not.toEqual(lib.before[0]);
  });
});
