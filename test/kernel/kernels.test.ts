// Every hot kernel against its plain-TS twin, in both wasm flavours.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import type { Kernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { flavours, kernels } from "./flavours.js";

let K: Record<(typeof flavours)[number], Kernel>;
beforeAll(async () => { K = await kernels(); });

const vec = (n: number, seed: number) => RandomStream.of(seed, "test").normals(n);
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe.each(flavours)("wasm %s kernel vs TS twin", (f) => {
  it.each([1, 5, 16, 17, 100, 1027])("stochastic rounding of %i coordinates is bit-identical", (n) => {
    const x = vec(n, n);
    x[0] = -0; // the sign of −0 is kept as a negative zero level, i.e. 0
    for (const s of [1, 3, 255]) {
      const a = RandomStream.of(4, "compress", 1, 2), b = a.clone();
      const got = K[f].qsgdRound(x, s / 2.5, s, a);
      const ref = twin.qsgdRound(x, s / 2.5, s, b);
      expect(same(got, ref)).toBe(true);
      expect(a.counter).toBe(b.counter);
      expect(got.every((l) => Math.abs(l) <= s)).toBe(true);
    }
  });

  it("stochastic rounding is unbiased: mean level × (1/scale) is within 5 standard errors of |x|", () => {
    // 20000 draws of one coordinate with fractional part p: the level mean has sd √(p(1−p)/n) ≤ 0.0036
    const x = new Float32Array(20000).fill(0.7);
    const lv = K[f].qsgdRound(x, 1, 1, RandomStream.of(5, "compress"));
    const mean = lv.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(mean - 0.7)).toBeLessThan(5 * Math.sqrt((0.7 * 0.3) / x.length));
  });

  it.each([1, 7, 8, 9, 64, 333])("sign bits of %i values match the twin", (n) => {
    const x = vec(n, 3 + n);
    expect(same(K[f].signBits(x), twin.signBits(x))).toBe(true);
  });

  it("dot, sum of squares and ℓ1 norm match the twin to f64 rounding (relative 1e-12)", () => {
    for (const n of [1, 3, 4, 1001]) {
      const a = vec(n, 7), b = vec(n, 8);
      expect(K[f].dot(a, b)).toBeCloseTo(twin.dot(a, b), 10);
      expect(Math.abs(K[f].sumSquares(a) - twin.sumSquares(a))).toBeLessThan(1e-12 * twin.sumSquares(a));
      expect(Math.abs(K[f].absSum(a) - twin.absSum(a))).toBeLessThan(1e-12 * twin.absSum(a));
    }
  });

  it("axpy computes y + αx in float32 exactly like a scalar loop", () => {
    const y = vec(37, 9), x = vec(37, 10);
    const ref = y.map((v, i) => Math.fround(v + Math.fround(0.5 * x[i]!)));
    expect(same(K[f].axpy(y.slice(), 0.5, x), ref)).toBe(true);
  });

  it("finds the first non-finite value", () => {
    const x = vec(50, 11);
    expect(K[f].firstNonFinite(x)).toBe(-1);
    x[31] = NaN; x[40] = Infinity;
    expect(K[f].firstNonFinite(x)).toBe(31);
  });

  it("fixed-width packing matches the twin and round-trips for every width 1..32", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), fc.array(fc.nat(), { maxLength: 70 }), (w, raw) => {
      const v = Uint32Array.from(raw, (r) => (w === 32 ? r : r % 2 ** w));
      const packed = K[f].packFixed(v, w);
      expect(same(packed, twin.packFixed(v, w))).toBe(true);
      expect(same(K[f].unpackFixed(packed, v.length, w), v)).toBe(true);
    }), { seed: 4, numRuns: 200 });
  });

  it("QSGD Elias coding matches the twin bit for bit and round-trips", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 300 }), (raw) => {
      const l = Int32Array.from(raw, (r) => (Math.abs(r) > 5 ? 0 : r));
      const e = K[f].qsgdEliasEncode(l);
      const t = twin.qsgdEliasEncode(l);
      expect(e.bits).toBe(t.bits);
      expect(same(e.bytes, t.bytes)).toBe(true);
      expect(same(K[f].qsgdEliasDecode(e.bytes, e.bits, l.length, 5), l)).toBe(true);
    }), { seed: 5, numRuns: 200 });
  });

  it("Elias decoding of random bytes either succeeds like the twin or throws E_DECODE like it", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 60 }), (bytes, n) => {
      const bits = bytes.length * 8;
      let ref: Int32Array | null = null, got: Int32Array | null = null;
      try { ref = twin.qsgdEliasDecode(bytes, bits, n, 3); } catch (e) { expect(e).toBeInstanceOf(FedquantError); }
      try { got = K[f].qsgdEliasDecode(bytes, bits, n, 3); } catch (e) { expect(e).toBeInstanceOf(FedquantError); }
      expect(got === null).toBe(ref === null);
      if (got && ref) expect(same(got, ref)).toBe(true);
    }), { seed: 6, numRuns: 500 });
  });
});

describe.each(flavours)("Elias coder limits (%s kernel)", (f) => {
  it("reads a gamma code of 29 leading zeros (59 bits, past the 57-bit window) as malformed, like the twin", () => {
    const bytes = new Uint8Array(8);
    bytes[3] = 1 << 5; // bit 29: the first one
    expect(() => K[f].qsgdEliasDecode(bytes, 64, 60, 3)).toThrow(/E_DECODE.*malformed/);
    expect(() => twin.qsgdEliasDecode(bytes, 64, 60, 3)).toThrow(/E_DECODE.*malformed/);
  });

  it("refuses to encode a level it could not decode (|level| ≥ 2^29) with E_INPUT", () => {
    expect(() => K[f].qsgdEliasEncode(Int32Array.of(0, 2 ** 29))).toThrow(/E_INPUT.*beyond the Elias coder/);
  });

  it("refuses more than 2^28 levels and a fractional bit count before touching memory", () => {
    expect(() => K[f].qsgdEliasDecode(new Uint8Array(1), 0, 2 ** 28 + 1, 1)).toThrow(/E_DIM/);
    expect(() => K[f].qsgdEliasDecode(new Uint8Array(1), 2.5, 4, 1)).toThrow(/E_DECODE.*bit count/);
  });
});

describe("kernel memory", () => {
  it("grows linear memory for large inputs and keeps results correct", () => {
    const k = K.simd;
    const before = k.memoryBytes;
    const x = vec(1 << 21, 12); // 8 MiB in, more than the initial 2 pages
    expect(k.sumSquares(x)).toBeCloseTo(twin.sumSquares(x), 3);
    expect(k.memoryBytes).toBeGreaterThan(before);
  });
  it("rejects bit widths outside 1..32 with E_CONFIG", () => {
    expect(() => K.simd.packFixed(new Uint32Array(3), 33)).toThrow(/E_CONFIG/);
  });
});
