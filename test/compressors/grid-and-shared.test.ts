// Issue #11 item 6a/6b options: StoVoQ's radius grid over [min ρ, max ρ] (`radiusGrid: "minmax"`)
// and HSQ's fixed codebook shared by every message (`sharedCodebook`). The defaults keep their wire
// layout byte for byte; the options are unbiased (contract harness) and announce themselves in
// the header, so a receiver configured otherwise refuses their messages.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { StovoqQuantizer } from "../../src/compressors/stovoq-quantizer.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { compressorContract, gaussianVector } from "./contract.js";

compressorContract("stovoq radiusGrid=minmax d=8 M=2^6", () => createCompressor("stovoq", { d: 8, codebookBits: 6, radiusGrid: "minmax" }), { dims: [7, 64], trials: 2000 });
compressorContract("hsq span sharedCodebook d=4 M=2^5", () => createCompressor("hsq", { d: 4, codebookBits: 5, variant: "span", scalarBits: 8, sharedCodebook: 3 }), { dims: [3, 64], trials: 3000 });

describe("stovoq radiusGrid", () => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });
  const x = gaussianVector(16 * 12, 4);

  it("leaves the default message unchanged: radiusGrid \"zero\" writes the bytes of no option", () => {
    const a = createCompressor("stovoq").encode(x, RandomStream.of(1, "compress", 3, 4));
    const b = createCompressor("stovoq", { radiusGrid: "zero" }).encode(x, RandomStream.of(1, "compress", 3, 4));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("costs one more float32 per message and is refused by a default receiver (E_DECODE)", () => {
    const def = createCompressor("stovoq"), mm = createCompressor("stovoq", { radiusGrid: "minmax" });
    const rng = RandomStream.of(2, "compress");
    const m1 = def.encode(x, rng.clone()), m2 = mm.encode(x, rng.clone());
    expect(mm.bits(m2).payloadBits - def.bits(m1).payloadBits).toBe(32);
    expect(() => def.decode(m2, x.length)).toThrow(/E_DECODE/);
    expect(() => mm.decode(m1, x.length)).toThrow(/E_DECODE/);
  });

  it("sends levels whose radii lo + lΔ span [min ρ, max ρ] and straddle each bucket's ρ", () => {
    const q = new StovoqQuantizer({ radiusGrid: "minmax" });
    const nb = 12, d = 16;
    const { floats, codes } = q.encode(x, nb, RandomStream.of(3, "compress"));
    const [lo, step] = [floats[0]!, floats[1]!];
    const rho = Array.from({ length: nb }, (_, b) => Math.hypot(...x.subarray(b * d, b * d + d)));
    expect(lo).toBeLessThanOrEqual(Math.min(...rho));
    expect(Math.min(...rho) - lo).toBeLessThan(1e-6 * Math.min(...rho));
    expect(lo + 7 * step).toBeGreaterThanOrEqual(Math.max(...rho));
    rho.forEach((r, b) => {
      const l = Math.floor(codes[b]! / 2 ** 13);
      // stochastic rounding picks one of the two levels around ρ
      expect(Math.abs(lo + l * step - r)).toBeLessThanOrEqual(step * (1 + 1e-9));
    });
  });

  it("rejects an unknown radiusGrid with E_CONFIG", () => {
    expect(() => createCompressor("stovoq", { radiusGrid: "log" })).toThrow(/E_CONFIG.*radiusGrid/);
  });
});

describe("hsq sharedCodebook", () => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });
  const x = gaussianVector(16 * 8, 5);

  it("leaves the default message unchanged: sharedCodebook 0 / false writes the bytes of no option", () => {
    const a = createCompressor("hsq").encode(x, RandomStream.of(1, "compress", 3, 4));
    for (const v of [0, false]) {
      const b = createCompressor("hsq", { sharedCodebook: v }).encode(x, RandomStream.of(1, "compress", 3, 4));
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  });

  it("greedy with a shared codebook is deterministic: every worker's message decodes to the same vector", () => {
    const c = createCompressor("hsq", { sharedCodebook: true });
    const y1 = c.decode(c.encode(x, RandomStream.of(1, "compress", 0, 1)), x.length);
    const y2 = c.decode(c.encode(x, RandomStream.of(1, "compress", 5, 2)), x.length);
    expect(Array.from(y1)).toEqual(Array.from(y2));
    // and with fresh codebooks they differ
    const f = createCompressor("hsq");
    const z1 = f.decode(f.encode(x, RandomStream.of(1, "compress", 0, 1)), x.length);
    const z2 = f.decode(f.encode(x, RandomStream.of(1, "compress", 5, 2)), x.length);
    expect(Array.from(z1)).not.toEqual(Array.from(z2));
  });

  it("claims no contraction δ for a fixed codebook (δ_M is an average over codebooks)", () => {
    expect(createCompressor("hsq", { sharedCodebook: 1 }).delta(64)).toBe(0);
    expect(createCompressor("hsq").delta(64)).toBeGreaterThan(0);
  });

  it("puts the seed in the header: another seed or a fresh-codebook receiver refuses the message (E_DECODE)", () => {
    const msg = createCompressor("hsq", { sharedCodebook: 7 }).encode(x, RandomStream.of(1, "compress"));
    expect(() => createCompressor("hsq", { sharedCodebook: 8 }).decode(msg, x.length)).toThrow(/E_DECODE/);
    expect(() => createCompressor("hsq").decode(msg, x.length)).toThrow(/E_DECODE/);
    expect(() => createCompressor("hsq", { sharedCodebook: -1 })).toThrow(/E_CONFIG/);
  });
});
