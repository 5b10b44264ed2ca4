// The demo's digits asset: decoded in the browser's way, it gives exactly the datasets that
// src/data/mnist-node.ts gives in Node, so browser and Node clients build the same shards.
import { describe, expect, it } from "vitest";
import { mnistDigits } from "../../src/data/mnist-node.js";
import { mnistAssetBytes } from "../../demo/mnist-asset.js";
import { decodeDigits, selectDigits } from "../../demo/src/digits.js";

/** Index of the first difference, −1 if equal (vitest's deep equality is slow on 10⁶ floats). */
function firstDiff(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("demo digits asset", () => {
  const bytes = mnistAssetBytes();
  const all = decodeDigits(bytes);

  it("holds all 10,000 digits of the mnist package", () => {
    expect(all.n).toBe(10_000);
  });

  it.each([[500, 0], [1234, 7]])("gives mnistDigits({ count: %i, seed: %i }) bit for bit", (count, seed) => {
    const mine = selectDigits(all, count, seed), ref = mnistDigits({ count, seed });
    expect(mine.p).toBe(ref.p);
    expect(firstDiff(mine.y, ref.y)).toBe(-1);
    expect(firstDiff(mine.X, ref.X)).toBe(-1);
  });

  it("rejects a truncated asset", () => {
    expect(() => decodeDigits(bytes.subarray(0, 1000))).toThrow(/wrong size/);
  });
});
