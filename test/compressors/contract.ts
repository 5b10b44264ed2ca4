// The contract every compressor passes (issue #2 item 6): determinism, shape, exact bits,
// unbiasedness or contraction with statistical tolerances, robust decoding of untrusted bytes
// (fast-check), and clear errors on non-finite input. Later compressors reuse it as is.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import type { Compressor } from "../../src/compressors/index.js";

export interface ContractOptions {
  /** Dimensions to exercise (include one not divisible by 4 or 16). */
  dims?: number[];
  /** Independent compressions for the statistical checks. */
  trials?: number;
  /** Skip the second (scalar) kernel flavour, e.g. for slow compressors. */
  simdOnly?: boolean;
}

export function gaussianVector(dim: number, seed: number): Float32Array {
  return RandomStream.of(seed, "test", 0, 1).normals(dim);
}

/** Mean of `trials` decoded compressions and the mean squared error, with its standard error. */
export function compressStats(c: Compressor, x: Float32Array, trials: number, seed: number) {
  const D = x.length;
  const sum = new Float64Array(D), sumSq = new Float64Array(D);
  let err = 0, err2 = 0;
  for (let t = 0; t < trials; t++) {
    const rng = RandomStream.of(seed, "compress", t, 3);
    const y = c.decode(c.encode(x, rng), D);
    let e = 0;
    for (let i = 0; i < D; i++) {
      sum[i] += y[i]!; sumSq[i] += y[i]! * y[i]!;
      e += (y[i]! - x[i]!) ** 2;
    }
    err += e; err2 += e * e;
  }
  const mse = err / trials;
  const mseSe = Math.sqrt(Math.max(0, err2 / trials - mse * mse) / trials);
  const mean = sum.map((s) => s / trials);
  const sd = sumSq.map((s, i) => Math.sqrt(Math.max(0, s / trials - mean[i]! ** 2)));
  return { mean, sd, mse, mseSe };
}

/**
 * Largest per-coordinate z-score of the mean of `trials` compressions against x.
 * Coordinates with zero empirical spread must be reproduced exactly, up to float32 rounding:
 * relative to |x_i| (an absolute slack would pass any error on a tiny vector), plus two
 * subnormal steps (2^-148) for values in the subnormal range.
 */
export function maxBiasZ(x: Float32Array, mean: Float64Array, sd: Float64Array, trials: number): number {
  let zmax = 0;
  for (let i = 0; i < x.length; i++) {
    const se = sd[i]! / Math.sqrt(trials);
    const diff = Math.abs(mean[i]! - x[i]!);
    const z = se > 0 ? diff / se : diff > 1e-5 * Math.abs(x[i]!) + 2 ** -148 ? Infinity : 0;
    zmax = Math.max(zmax, z);
  }
  return zmax;
}

/** Bonferroni bound: P(max of D |N(0,1)| > z) ≤ 1e-6 needs z with 2D·Φc(z) = 1e-6; 6 covers D ≤ 10^3. */
export const Z_CRIT = 6;

/**
 * Decoding untrusted bytes either throws a FedquantError or (the bytes still form a valid
 * message) returns a finite vector of the expected dimension — never a NaN, never a short array.
 */
function expectRejectedOrSound(decode: () => Float32Array, dim: number): void {
  let y: Float32Array;
  try { y = decode(); } catch (e) {
    if (!(e instanceof FedquantError)) throw new Error(`expected a FedquantError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return;
  }
  expect(y).toBeInstanceOf(Float32Array);
  expect(y.length).toBe(dim);
  const bad = y.findIndex((v) => !Number.isFinite(v));
  expect(bad, `decoded value ${bad} is ${y[bad]}`).toBe(-1);
}

export function compressorContract(label: string, make: () => Compressor, opts: ContractOptions = {}): void {
  const dims = opts.dims ?? [1, 7, 64, 203];
  const trials = opts.trials ?? 2000;
  const flavours = opts.simdOnly ? (["simd"] as const) : (["simd", "scalar"] as const);

  describe.each(flavours)(`${label} compressor contract (%s kernel)`, (flavour) => {
    let c: Compressor;
    beforeAll(async () => {
      useKernel(await loadKernel({ flavour }));
      c = make();
    });

    it.each(dims)("gives the same bytes for the same seed (D = %i)", (D) => {
      const x = gaussianVector(D, 11);
      const a = c.encode(x, RandomStream.of(5, "compress", 2, 9));
      const b = c.encode(x, RandomStream.of(5, "compress", 2, 9));
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    });

    it.each(dims)("decodes to a finite vector of the right dimension (D = %i)", (D) => {
      const x = gaussianVector(D, 12);
      const y = c.decode(c.encode(x, RandomStream.of(6, "compress")), D);
      expect(y).toBeInstanceOf(Float32Array);
      expect(y.length).toBe(D);
      expect(y.every(Number.isFinite)).toBe(true);
    });

    it("counts bits exactly: total = 8 × bytes, payload ≤ total", () => {
      const x = gaussianVector(100, 13);
      const msg = c.encode(x, RandomStream.of(7, "compress"));
      const b = c.bits(msg);
      expect(b.totalBits).toBe(8 * msg.length);
      expect(b.payloadBits).toBeLessThanOrEqual(b.totalBits - b.headerBits);
      expect(b.payloadBits).toBeGreaterThan(b.totalBits - b.headerBits - 8 * 8); // at most a few padding bytes
    });

    it("decodes the zero vector to zero", () => {
      const y = c.decode(c.encode(new Float32Array(33), RandomStream.of(8, "compress")), 33);
      expect(y.every((v) => v === 0)).toBe(true);
    });

    it("verifies the shared randomness when the receiver passes its stream", () => {
      const x = gaussianVector(16, 14);
      const rng = RandomStream.of(9, "compress", 1, 1);
      const msg = c.encode(x, rng.clone());
      expect(() => c.decode(msg, 16, rng.clone())).not.toThrow();
      expect(() => c.decode(msg, 16, RandomStream.of(10, "compress", 1, 1))).toThrow(FedquantError);
    });

    const D = 24;
    const x = gaussianVector(D, 15);
    const normSq = x.reduce((s, v) => s + v * v, 0);

    if (make().unbiased) {
      it(`is unbiased: each coordinate's mean of ${trials} compressions is within ${Z_CRIT} standard errors`, () => {
        const { mean, sd } = compressStats(c, x, trials, 21);
        expect(maxBiasZ(x, mean, sd, trials)).toBeLessThan(Z_CRIT);
      });
      it("has E‖C(x) − x‖² ≤ ω‖x‖² (empirical mean, plus 4 standard errors)", () => {
        const { mse, mseSe } = compressStats(c, x, trials, 22);
        expect(mse).toBeLessThanOrEqual(c.omega(D) * normSq + 4 * mseSe);
      });
    } else {
      it("contracts: E‖C(x) − x‖² ≤ (1 − δ)‖x‖² (plus 4 standard errors)", () => {
        const { mse, mseSe } = compressStats(c, x, Math.min(trials, 400), 23);
        expect(c.delta(D)).toBeGreaterThan(0);
        expect(mse).toBeLessThanOrEqual((1 - c.delta(D)) * normSq + 4 * mseSe + 1e-9);
      });
    }

    it("rejects NaN and ±Inf input with E_INPUT", () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const x2 = gaussianVector(10, 16);
        x2[3] = bad;
        expect(() => c.encode(x2, RandomStream.of(1, "compress"))).toThrow(/E_INPUT.*x\[3\]/);
      }
    });

    it("rejects a message for another dimension with E_DIM", () => {
      const msg = c.encode(gaussianVector(40, 17), RandomStream.of(1, "compress"));
      expect(() => c.decode(msg, 41)).toThrow(/E_DIM/);
    });

    // fast-check: untrusted bytes only ever produce FedquantError or a sound vector (no trap, no RangeError, no NaN, no hang)
    const valid = () => c.encode(gaussianVector(37, 18), RandomStream.of(2, "compress"));

    it("survives truncated messages", () => {
      const msg = valid();
      fc.assert(fc.property(fc.integer({ min: 0, max: msg.length - 1 }), (cut) => {
        expect(() => c.decode(msg.subarray(0, cut), 37)).toThrow(FedquantError);
      }), { seed: 1, numRuns: 200 });
    });

    it("survives bit flips anywhere in the message", () => {
      const msg = valid();
      fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: msg.length * 8 - 1 }), { minLength: 1, maxLength: 4 }), (flips) => {
        const m = msg.slice();
        for (const f of flips) m[f >> 3]! ^= 1 << (f & 7);
        expectRejectedOrSound(() => c.decode(m, 37), 37);
      }), { seed: 2, numRuns: 300 });
    });

    it("survives random bytes, with and without a valid header prefix", () => {
      const msg = valid();
      fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (junk, keepHeader) => {
        const m = keepHeader ? new Uint8Array([...msg.subarray(0, 40), ...junk]) : junk;
        expectRejectedOrSound(() => c.decode(m, 37), 37);
      }), { seed: 3, numRuns: 300 });
    });

    it("rejects a wrong magic, version or compressor id with E_DECODE", () => {
      for (const [off, val] of [[0, 0], [2, 9], [3, 200]] as const) {
        const m = valid();
        m[off] = val;
        expect(() => c.decode(m, 37)).toThrow(/E_DECODE/);
      }
    });
  });
}
