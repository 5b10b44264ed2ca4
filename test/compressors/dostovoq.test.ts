// DoStoVoQ (issue #3 item 4): the contract with the default StoVoQ quantizer and with HSQ
// plugged in, the normalisation and its wire cost, any D, a user-supplied quantizer, and the ω
// bound holding on a skewed (one heavy bucket) vector.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor, Dostovoq, type BucketCodes, type BucketQuantizer } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { compressorContract, compressStats, gaussianVector } from "./contract.js";

compressorContract("dostovoq stovoq d=16 M=2^6", () => createCompressor("dostovoq", { codebookBits: 6 }));
compressorContract("dostovoq stovoq exact d=8 M=2^8", () => createCompressor("dostovoq", { d: 8, codebookBits: 8, variant: "exact" }), { dims: [3, 64], simdOnly: true });
compressorContract("dostovoq hsq greedy d=8 M=2^6", () => createCompressor("dostovoq", { quantizer: "hsq", d: 8, codebookBits: 6 }), { dims: [3, 64], simdOnly: true });

/** A toy quantizer (sign of each coordinate, scale on the side) to show that any BucketQuantizer plugs in. */
class SignBuckets implements BucketQuantizer {
  readonly kind = "toy-sign"; readonly id = 200; readonly d = 4; readonly unbiased = false;
  readonly params = { d: 4 }; readonly codeBits = 4;
  floatCount(): number { return 1; }
  paramBytes(): Uint8Array { return new Uint8Array([4]); }
  encode(rows: Float32Array, nb: number): BucketCodes {
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) for (let k = 0; k < 4; k++) if (rows[4 * b + k]! < 0) codes[b]! |= 1 << k;
    return { floats: new Float32Array([rows.reduce((s, v) => s + Math.abs(v), 0) / rows.length]), codes };
  }
  decode(c: BucketCodes, nb: number): Float32Array {
    const out = new Float32Array(4 * nb);
    for (let b = 0; b < nb; b++) for (let k = 0; k < 4; k++) out[4 * b + k] = (c.codes[b]! >> k) & 1 ? -c.floats[0]! : c.floats[0]!;
    return out;
  }
  omega(): number { return Infinity; }
  delta(): number { return 0.1; }
}

describe("dostovoq specifics", () => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });

  it("sends ‖g‖ and the quantizer's frame: 32 + 32 + nb·16 bits at the default size, any D", () => {
    const c = createCompressor("dostovoq");
    for (const D of [1, 17, 1000]) {
      const msg = c.encode(gaussianVector(D, 1), RandomStream.of(1, "compress"));
      expect(c.bits(msg).payloadBits).toBe(32 + 32 + Math.ceil(D / 16) * 16);
      expect(msg[3]).toBe(7);
    }
  });

  it("is invariant to the scale of g: compressing s·g decodes to s × the decoding of g", () => {
    const c = createCompressor("dostovoq", { codebookBits: 6 });
    const g = gaussianVector(100, 2);
    const y1 = c.decode(c.encode(g, RandomStream.of(2, "compress")), 100);
    const y2 = c.decode(c.encode(g.map((v) => v * 1024), RandomStream.of(2, "compress")), 100);
    for (let i = 0; i < 100; i++) expect(y2[i]!).toBeCloseTo(1024 * y1[i]!, 2);
  });

  it("encodes the zero vector as its norm alone (32 payload bits)", () => {
    const c = createCompressor("dostovoq");
    const msg = c.encode(new Float32Array(50), RandomStream.of(3, "compress"));
    expect(c.bits(msg).payloadBits).toBe(32);
    expect(c.decode(msg, 50).every((v) => v === 0)).toBe(true);
  });

  it("accepts any BucketQuantizer, whose id and parameters travel in the header", () => {
    const c = new Dostovoq({ quantizer: new SignBuckets() });
    const g = gaussianVector(10, 4);
    const msg = c.encode(g, RandomStream.of(4, "compress"));
    expect(c.bits(msg).payloadBits).toBe(32 + 32 + 3 * 4);
    const y = c.decode(msg, 10);
    for (let i = 0; i < 10; i++) expect(Math.sign(y[i]!)).toBe(Math.sign(g[i]!));
    expect(() => createCompressor("dostovoq").decode(msg, 10)).toThrow(/E_DECODE/);
    expect(() => createCompressor("dostovoq", { quantizer: "zstd" })).toThrow(/E_CONFIG.*quantizer/);
  });

  it("keeps its ω bound on a skewed vector (one bucket holds most of the energy): empirical MSE ≤ ω‖g‖²", () => {
    const c = createCompressor("dostovoq", { codebookBits: 8 });
    const g = gaussianVector(160, 5).map((v, i) => (i < 16 ? 30 * v : 0.01 * v));
    const n2 = g.reduce((s, v) => s + v * v, 0);
    const { mse, mseSe } = compressStats(c, g, 400, 6);
    const omega = c.omega(160);
    expect(Number.isFinite(omega)).toBe(true);
    expect(mse).toBeLessThanOrEqual(omega * n2 + 4 * mseSe);
  });

  it("gives a finite ω for the unbiased StoVoQ quantizers and the HSQ-greedy δ for hsq", () => {
    const q = createCompressor("dostovoq");
    const e = createCompressor("dostovoq", { variant: "exact" });
    expect(e.omega(1 << 20)).toBeLessThan(q.omega(1 << 20)); // the grid adds variance
    expect(e.omega(1 << 20)).toBeLessThan(10);
    const h = createCompressor("dostovoq", { quantizer: "hsq", d: 16, codebookBits: 10 });
    expect(h.unbiased).toBe(false);
    expect(h.delta(64)).toBeGreaterThan(0.3);
  });
});
