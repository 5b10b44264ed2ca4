// RandomStream (spec/random.md "Streams"): bad arguments are FedquantErrors, and the 53-bit
// uniforms that inverse-CDF draws over many outcomes need.
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { RandomStream, splitSeed, streamId, u32PairToUniform53 } from "../../src/random/index.js";

const code = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return e instanceof FedquantError ? e.code : `not a FedquantError: ${(e as Error).name}`; }
  return undefined;
};

describe("RandomStream argument checks", () => {
  it.each([
    ["a negative seed", () => splitSeed(-1)],
    ["a seed of 2^64", () => splitSeed(1n << 64n)],
    ["a fractional seed", () => RandomStream.of(1.5, "test")],
    ["a NaN seed", () => RandomStream.of(NaN, "test")],
    ["a negative round", () => streamId("test", -1, 0)],
    ["a worker of 2^24", () => streamId("test", 0, 2 ** 24)],
    ["a fractional count of uniforms", () => RandomStream.of(1, "test").uniforms(2.5)],
    ["a negative count of normals", () => RandomStream.of(1, "test").normals(-4)],
    ["a fractional bound for int()", () => RandomStream.of(1, "test").int(2.5)],
    ["k above n without replacement", () => RandomStream.of(1, "test").sampleWithoutReplacement(3, 4)],
    ["a negative permutation length", () => RandomStream.of(1, "test").permutation(-1)],
  ])("rejects %s with E_CONFIG", (_what, fn) => {
    expect(code(fn)).toBe("E_CONFIG");
  });
});

describe("53-bit uniforms", () => {
  it("map the extreme word pairs inside (0, 1), half a 2^-53 step from each end", () => {
    expect(u32PairToUniform53(0, 0)).toBe(2 ** -54);
    expect(u32PairToUniform53(0xffffffff, 0xffffffff)).toBe(1 - 2 ** -54);
  });

  it("use one word pair per value (⌈n/2⌉ blocks) and resolve below the f32 grid of 2^-24", () => {
    const rng = RandomStream.of(3, "test");
    const u = rng.uniforms53(10_001);
    expect(rng.counter).toBe(Math.ceil(10_001 / 2));
    // an f32 uniform is an odd multiple of 2^-25; a 53-bit one almost never is
    const onF32Grid = u.filter((v) => Number.isInteger(v * 2 ** 25)).length;
    expect(onF32Grid).toBe(0);
  });

  it("have mean 1/2 and variance 1/12 within 5 standard errors (n = 2^16)", () => {
    const n = 2 ** 16, u = RandomStream.of(4, "test").uniforms53(n);
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n)); // Var((U − ½)²) = 1/80 − 1/144 = 1/180
  });
});
