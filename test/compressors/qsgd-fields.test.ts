// QSGD fixed-width fields of 2 bits (s = 1) and 4 bits (s = 4..7) go through SIMD packing and a
// table-lookup decoder (assembly/qsgd-fields.ts) in the SIMD build. Here, over bucket sizes that
// put bucket and 16-coordinate group boundaries at every bit offset: (1) the SIMD build writes
// the scalar build's bytes; (2) both decode to x̂_i = f32(norm_j · l_i / s) read by a naive
// reader written from the payload definition (spec/compressors.md "QSGD": f32 norms, then
// fields |l| << 1 | sign, LSB-first); (3) a magnitude above s is refused at its coordinate and
// a "negative zero" field decodes to +0, as in the scalar decoder.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, type Kernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { gaussianVector } from "./contract.js";

const width = (s: number) => Math.ceil(Math.log2(s + 1)) + 1;

/** Naive reader: the payload is the message's last 4·nb + ⌈D·w/8⌉ bytes. */
function naiveDecode(msg: Uint8Array, D: number, s: number, bucket: number): Float32Array {
  const b = bucket === 0 ? D : Math.min(bucket, D), nb = Math.ceil(D / b), w = width(s);
  const off = msg.length - (4 * nb + Math.ceil((D * w) / 8));
  const dv = new DataView(msg.buffer, msg.byteOffset + off);
  const out = new Float32Array(D);
  for (let i = 0; i < D; i++) {
    let f = 0;
    for (let k = 0; k < w; k++) {
      const bit = 32 * nb + i * w + k;
      f |= ((msg[off + (bit >> 3)]! >> (bit & 7)) & 1) << k;
    }
    const mag = f >> 1, l = f & 1 ? -mag : mag;
    out[i] = Math.fround((dv.getFloat32(4 * Math.floor(i / b), true) * l) / s) + 0; // + 0: −0 → +0
  }
  return out;
}

let simd: Kernel, scalar: Kernel;
beforeAll(async () => { simd = await loadKernel({ flavour: "simd" }); scalar = await loadKernel({ flavour: "scalar" }); });

const cases: [number, number, number][] = [];
for (const s of [1, 4, 5, 7]) for (const bucket of [0, 1, 3, 33, 100, 512]) for (const D of [203, 5003]) cases.push([s, bucket, D]);

describe("QSGD fixed fields of width 2 and 4", () => {
  it.each(cases)("s=%i bucket=%i D=%i: SIMD bytes = scalar bytes, decode = naive reader", (s, bucket, D) => {
    const c = createCompressor("qsgd", { s, bucket });
    const x = gaussianVector(D, 11 + s);
    useKernel(scalar);
    const ref = c.encode(x, RandomStream.of(5, "compress", D));
    useKernel(simd);
    const msg = c.encode(x, RandomStream.of(5, "compress", D));
    expect(Buffer.from(msg).equals(Buffer.from(ref))).toBe(true);
    const want = naiveDecode(msg, D, s, bucket);
    expect(c.decode(msg, D)).toEqual(want);
    useKernel(scalar);
    expect(c.decode(msg, D)).toEqual(want);
  });

  it.each([[5, 1000], [6, 517], [4, 64]])("s=%i: a magnitude above s at coordinate %i is refused at that coordinate by both builds", (s, at) => {
    const D = 2000, c = createCompressor("qsgd", { s, bucket: 512 });
    useKernel(simd);
    const msg = c.encode(gaussianVector(D, 3), RandomStream.of(6, "compress"));
    const off = msg.length - (4 * 4 + Math.ceil((D * 4) / 8)) + 16, byte = off + (at >> 1), shift = (at & 1) * 4;
    msg[byte] = (msg[byte]! & ~(15 << shift)) | (14 << shift); // field 14: magnitude 7 > s
    for (const k of [simd, scalar]) {
      useKernel(k);
      expect(() => c.decode(msg, D)).toThrow(new RegExp(`E_DECODE.*level at ${at} exceeds s = ${s}`));
    }
  });

  it("a sign bit on a zero magnitude decodes to +0 in both builds", () => {
    const D = 1024, c = createCompressor("qsgd", { s: 1, bucket: 512 });
    useKernel(simd);
    const msg = c.encode(gaussianVector(D, 4), RandomStream.of(7, "compress"));
    const off = msg.length - (8 + D / 4) + 8;
    msg.fill(0x55, off + 10, off + 20); // fields 01: magnitude 0, sign 1, at coordinates 40..79
    for (const k of [simd, scalar]) {
      useKernel(k);
      const y = c.decode(msg, D);
      for (let i = 40; i < 80; i++) expect(Object.is(y[i], 0)).toBe(true);
    }
  });
});

// The fused encoder sees a NaN / ±Inf in its bucket norms instead of a separate pass over x: the
// first non-finite coordinate is still the one named, before an overflowing bucket that comes
// earlier, and the stream does not advance.
describe("QSGD refuses non-finite input from its bucket norms", () => {
  it.each([["l2", "fixed"], ["linf", "elias"]] as const)("norm %s, %s coding, both builds", (norm, coding) => {
    for (const k of [simd, scalar]) {
      useKernel(k);
      const c = createCompressor("qsgd", { s: 4, bucket: 64, norm, coding });
      for (const bad of [NaN, Infinity, -Infinity]) for (const at of [0, 63, 64, 1000, 4098]) {
        const x = gaussianVector(4099, 2);
        x[at] = bad;
        if (at + 1 < 4099) x[at + 1] = bad; // a second one later: the first is named
        x.fill(3e38, 0, Math.min(at, 64) & ~1); // an overflowing bucket before it (l2: ‖·‖ > FLT_MAX)
        const rng = RandomStream.of(1, "compress"), before = rng.counter;
        expect(() => c.encode(x, rng)).toThrow(new RegExp(`E_INPUT: qsgd.encode: x\\[${at}\\] = ${bad} is not finite`));
        expect(rng.counter).toBe(before);
      }
    }
  });
});
