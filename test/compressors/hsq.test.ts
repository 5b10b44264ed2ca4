// HSQ compressor (issue #3 item 4): the contract for greedy (biased, contractive) and span
// (unbiased), the greedy choice and scalar grid, the δ formula against Monte Carlo, and the bit
// budget of the E1 configuration (2^10 codewords + a 6-bit scalar per 16-dim bucket).
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor, Hsq } from "../../src/compressors/index.js";
import { maxCosineSquared } from "../../src/compressors/hsq-quantizer.js";
import { CB_UNIT } from "../../src/kernel/kernel.js";
import { kernel, loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { compressorContract, compressStats, gaussianVector, maxBiasZ } from "./contract.js";

compressorContract("hsq greedy d=8 M=2^6", () => createCompressor("hsq", { d: 8, codebookBits: 6 }));
compressorContract("hsq span d=4 M=2^5", () => createCompressor("hsq", { d: 4, codebookBits: 5, variant: "span", scalarBits: 8 }), { dims: [3, 64], trials: 3000 });

describe("hsq specifics", () => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });

  it("spends log2 M + scalarBits per bucket plus one float32 step (16 bits per 16-dim bucket at the E1 size)", () => {
    const c = createCompressor("hsq", { d: 16, codebookBits: 10, scalarBits: 6 });
    const msg = c.encode(gaussianVector(320, 1), RandomStream.of(1, "compress"));
    expect(c.bits(msg).payloadBits).toBe(32 + 20 * 16);
    expect(msg[3]).toBe(8);
  });

  it("greedy picks the codeword of largest ⟨x, c⟩ and scales it by that inner product rounded to the grid", () => {
    const d = 6, M = 64;
    const c = createCompressor("hsq", { d, codebookBits: 6, scalarBits: 16 }) as Hsq;
    const x = gaussianVector(d, 2);
    const rng = RandomStream.of(2, "compress");
    const y = c.decode(c.encode(x, rng.clone()), d);
    const C = kernel().codewordRows(rng.clone(), M, d, 1, Uint32Array.from({ length: M }, (_, j) => j), CB_UNIT);
    let best = -Infinity, bj = 0;
    for (let j = 0; j < M; j++) {
      const s = C.subarray(j * d, j * d + d).reduce((a, v, k) => a + v * x[k]!, 0);
      if (s > best) { best = s; bj = j; }
    }
    // one bucket: the grid top is σ itself, so σ̂ = σ up to f32 rounding
    for (let k = 0; k < d; k++) expect(y[k]!).toBeCloseTo(best * C[bj * d + k]!, 5);
  });

  it("δ_M = E[max_j⟨u, c_j⟩₊²] matches Monte Carlo over 4000 random codebooks (within 4.5 standard errors)", () => {
    const d = 8, M = 32, N = 4000;
    const z = kernel().fillNormal(RandomStream.of(3, "test"), new Float32Array(N * M * d));
    let s = 0, ss = 0;
    for (let n = 0; n < N; n++) {
      let best = -Infinity;
      for (let j = 0; j < M; j++) {
        const o = (n * M + j) * d;
        let nn = 0;
        for (let k = 0; k < d; k++) nn += z[o + k]! ** 2;
        best = Math.max(best, z[o]! / Math.sqrt(nn));
      }
      const v = Math.max(0, best) ** 2;
      s += v; ss += v * v;
    }
    const mean = s / N, se = Math.sqrt((ss / N - mean * mean) / N);
    expect(Math.abs(mean - maxCosineSquared(d, M))).toBeLessThan(4.5 * se);
    expect(maxCosineSquared(1, 3)).toBeCloseTo(1 - 1 / 8, 12);
    expect(maxCosineSquared(2, 1)).toBeCloseTo(0.5 * 0.5, 4); // one uniform angle: E[cos²φ; |φ| < π/2] = 1/4
  });

  it("span is unbiased at the E1 size (d = 16, 2^10 codewords, 6-bit scalar): 2000 compressions", () => {
    const c = createCompressor("hsq", { d: 16, codebookBits: 10, variant: "span" });
    const x = gaussianVector(16, 4);
    const { mean, sd } = compressStats(c, x, 2000, 5);
    expect(maxBiasZ(x, mean, sd, 2000)).toBeLessThan(5);
  });

  it("rejects bad parameters", () => {
    expect(() => createCompressor("hsq", { variant: "span", d: 16, codebookBits: 3 })).toThrow(/E_CONFIG.*span/);
    expect(() => createCompressor("hsq", { variant: "span", scalarBits: 1 })).toThrow(/E_CONFIG.*scalarBits/);
    expect(() => createCompressor("hsq", { variant: "best" })).toThrow(/E_CONFIG/);
  });
});
