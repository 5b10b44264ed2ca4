import { beforeAll, describe, expect, it } from "vitest";
import { philoxBlock, RandomStream } from "../../src/random/index.js";
import { twin } from "../../src/kernel/twin.js";
import type { Kernel } from "../../src/kernel/index.js";
import { flavours, kernels } from "./flavours.js";

const hex = (w: Uint32Array) => [...w].map((x) => x.toString(16).padStart(8, "0")).join(" ");

describe("Philox4x32-10 known answers (Random123, spec/random.md)", () => {
  it("counter 0 and key 0 give 6627e8d5 e169c58d bc57ac4c 9b00dbd8 in the TS twin", () => {
    const o = new Uint32Array(4);
    philoxBlock(o, 0, 0, 0, 0, 0, 0, 0);
    expect(hex(o)).toBe("6627e8d5 e169c58d bc57ac4c 9b00dbd8");
  });
  it("the all-ones and the pi-digits vectors of Random123 match in the TS twin", () => {
    const o = new Uint32Array(4);
    philoxBlock(o, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
    expect(hex(o)).toBe("408f276d 41c83b0e a20bc7c6 6d5451fd");
    philoxBlock(o, 0, 0xa4093822, 0x299f31d0, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344);
    expect(hex(o)).toBe("d16cfe09 94fdcceb 5001e420 24126ea1");
  });
});

let K: Record<(typeof flavours)[number], Kernel>;
beforeAll(async () => { K = await kernels(); });

describe.each(flavours)("wasm %s kernel", (f) => {
  it("gives the known answer for counter 0, key 0", () => {
    const rng = new RandomStream(0, 0, 0, 0);
    expect(hex(K[f].philoxWords(rng, 1))).toBe("6627e8d5 e169c58d bc57ac4c 9b00dbd8");
  });

  it("matches the TS twin word for word over 1003 blocks, across a 2^32 counter carry", () => {
    const start = 4294967296 - 500;
    const a = new RandomStream(0x12345678, 0x9abcdef0, 7, 0x01000003, start);
    const b = a.clone();
    const words = K[f].philoxWords(a, 1003);
    const ref = new Uint32Array(1003 * 4);
    for (let i = 0; i < 1003; i++) {
      const n = start + i;
      philoxBlock(ref, 4 * i, b.k0, b.k1, n % 4294967296, Math.floor(n / 4294967296), b.i0, b.i1);
    }
    expect(Buffer.from(words.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
    expect(a.counter).toBe(start + 1003);
  });

  it.each([1, 3, 4, 5, 17, 64, 1001])("uniform fill of %i values is bit-identical to the TS twin", (n) => {
    const a = RandomStream.of(99, "test", 3, 4), b = a.clone();
    const got = K[f].fillUniform(a, new Float32Array(n));
    const ref = twin.fillUniform(b, new Float32Array(n));
    expect(Buffer.from(got.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
    expect(a.counter).toBe(b.counter);
    for (const u of got) { expect(u).toBeGreaterThan(0); expect(u).toBeLessThan(1); }
  });

  it.each([1, 2, 7, 16, 33, 4099])("normal fill of %i values is bit-identical to the TS twin", (n) => {
    const a = RandomStream.of(2024, "test", 1, 2), b = a.clone();
    const got = K[f].fillNormal(a, new Float32Array(n));
    const ref = twin.fillNormal(b, new Float32Array(n));
    expect(Buffer.from(got.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
  });

  // the fused SIMD fill (8 blocks per step, then a tail) must carry into the high counter word
  // inside and between steps exactly as the twin's block-by-block counter does
  it.each([5, 12, 29])("normal and uniform fills of 203 values starting %i blocks before a 2^32 counter carry are bit-identical to the TS twin", (back) => {
    for (const fill of ["fillNormal", "fillUniform"] as const) {
      const a = new RandomStream(7, 8, 9, 10, 2 ** 32 - back), b = a.clone();
      const got = K[f][fill](a, new Float32Array(203)), ref = twin[fill](b, new Float32Array(203));
      expect(Buffer.from(got.buffer).equals(Buffer.from(ref.buffer)), fill).toBe(true);
    }
  });
});

describe("normal fill statistics", () => {
  // n = 2^20 samples: the sample mean has sd 1/√n ≈ 0.001, the variance sd √(2/n) ≈ 0.0014,
  // the 4th moment (3) sd √(96/n) ≈ 0.0096; we allow 5 standard deviations.
  it("has mean 0, variance 1 and kurtosis 3 within 5 standard errors", () => {
    const n = 1 << 20;
    const z = K.simd.fillNormal(RandomStream.of(7, "test"), new Float32Array(n));
    let m1 = 0, m2 = 0, m4 = 0;
    for (const v of z) { m1 += v; m2 += v * v; m4 += v ** 4; }
    m1 /= n; m2 /= n; m4 /= n;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it("has the normal tail: P(|z| > 3) within 5 standard errors of 0.0027", () => {
    const n = 1 << 20;
    const z = K.scalar.fillNormal(RandomStream.of(8, "test"), new Float32Array(n));
    let c = 0;
    for (const v of z) if (Math.abs(v) > 3) c++;
    const p = 0.0026998;
    expect(Math.abs(c / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });
});
