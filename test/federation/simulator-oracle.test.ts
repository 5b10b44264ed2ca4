// The simulated client's gradient oracle (spec/optimization.md: g_k^i on a minibatch of size b):
// minibatches are b distinct rows, uniform over the b-subsets, reproducible from (seed, round,
// client), and the gradient is the objective's on exactly those rows.
import { describe, expect, it } from "vitest";
import { minibatchOracle, minibatchRows } from "../../src/federation/simulator-oracle.js";
import { heterogeneousLsr, useKernel } from "../algorithms/helpers.js";
import { RandomStream } from "../../src/random/index.js";

useKernel();

const draw = (rng: RandomStream, n: number, b: number, perm = Uint32Array.from({ length: n }, (_, i) => i)) =>
  minibatchRows(rng, n, new Uint32Array(b), perm, new Uint32Array(b));

describe("minibatchRows", () => {
  it("draws b distinct rows of 0..n−1 and leaves the permutation scratch as it found it", () => {
    const n = 50, perm = Uint32Array.from({ length: n }, (_, i) => i), rng = RandomStream.of(1, "minibatch");
    for (let t = 0; t < 200; t++) {
      const rows = draw(rng, n, 17, perm);
      expect(new Set(rows).size).toBe(17);
      expect(rows.every((r) => r < n)).toBe(true);
      expect(perm.every((v, i) => v === i)).toBe(true);
    }
  });

  // n = 5, b = 2: the 10 pairs each have probability 1/10; over 20000 draws a pair's frequency has
  // sd √(0.1·0.9/20000) ≈ 0.0021, and 5 sd over 10 pairs bounds the false alarm by 10·5.7e-7.
  it("is uniform over the b-subsets: each of the 10 pairs of 5 rows has frequency 1/10 within 5 sd", () => {
    const rng = RandomStream.of(2, "minibatch"), trials = 20_000, count = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      const key = [...draw(rng, 5, 2)].sort().join(",");
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    expect(count.size).toBe(10);
    const sd = Math.sqrt((0.1 * 0.9) / trials);
    for (const c of count.values()) expect(Math.abs(c / trials - 0.1)).toBeLessThan(5 * sd);
  });

  it("refuses b > n with E_DIM", () => {
    expect(() => draw(RandomStream.of(3, "minibatch"), 3, 4)).toThrow(/E_DIM/);
  });
});

describe("minibatchOracle", () => {
  const P = heterogeneousLsr(2, 30, 4);
  const data = P.workers[0]!, w = Float64Array.of(0.5, -1, 2, 0.25);

  it("gives ∇F_i on the rows drawn from the stream (seed, minibatch, round, client)", () => {
    const got = new Float64Array(4);
    minibatchOracle(P.objective, data, 9n, 6)(w, got, { round: 3, client: 1 });
    const rows = draw(RandomStream.of(9n, "minibatch", 3, 1), data.n, 6);
    expect([...got]).toEqual([...P.objective.grad(w, data, new Float64Array(4), rows)]);
  });

  it("draws other rows in another round and the full gradient when b ≥ n", () => {
    const oracle = minibatchOracle(P.objective, data, 9n, 6);
    const a = new Float64Array(4), b = new Float64Array(4);
    oracle(w, a, { round: 3, client: 1 });
    oracle(w, b, { round: 4, client: 1 });
    expect([...a]).not.toEqual([...b]);
    const full = new Float64Array(4);
    minibatchOracle(P.objective, data, 9n, data.n)(w, full, { round: 0, client: 0 });
    expect([...full]).toEqual([...P.objective.grad(w, data, new Float64Array(4))]);
  });
});
