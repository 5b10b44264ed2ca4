// Worker splits: sizes and row order (data/README steps 4–5), the rebalance rule, label splits.
import { describe, expect, it } from "vitest";
import {
  dirichletLabelSplit, rebalance, rebalanceRows, splitByLabel, splitByWorkerOfRow, splitIid,
} from "../../src/data/index.js";
import type { Dataset } from "../../src/data/index.js";
import { RandomStream } from "../../src/random/index.js";

/** n rows, p = 1, X[r] = r so a row's origin can be read back; labels from `label`. */
function indexed(n: number, label: (r: number) => number = () => 0): Dataset {
  return { n, p: 1, X: Float64Array.from({ length: n }, (_, r) => r), y: Float64Array.from({ length: n }, (_, r) => label(r)) };
}
const origin = (d: Dataset) => Array.from(d.X);

describe("splitIid", () => {
  it("cuts file order into W chunks of ⌊n/W⌋ rows and drops the remainder", () => {
    const parts = splitIid(indexed(23), 4);
    expect(parts.map((d) => d.n)).toEqual([5, 5, 5, 5]);
    expect(origin(parts[1]!)).toEqual([5, 6, 7, 8, 9]);
    expect(origin(parts[3]!)).toEqual([15, 16, 17, 18, 19]);
  });
  it("throws E_DATA when there are fewer rows than workers", () => {
    expect(() => splitIid(indexed(3), 4)).toThrow(/E_DATA/);
  });
});

describe("splitByWorkerOfRow", () => {
  it("sends row r to worker workerOfRow[r] and keeps file order inside each worker", () => {
    const parts = splitByWorkerOfRow(indexed(6), [2, 0, 2, 1, 0, 2], 3);
    expect(parts.map(origin)).toEqual([[1, 4], [3], [0, 2, 5]]);
  });
  it("throws E_DATA for a worker index out of range or a length mismatch", () => {
    expect(() => splitByWorkerOfRow(indexed(3), [0, 3, 1], 3)).toThrow(/E_DATA.*row 1 .*worker 3/);
    expect(() => splitByWorkerOfRow(indexed(3), [0, 1], 3)).toThrow(/E_DATA.*2 entries for 3 rows/);
  });
});

describe("rebalance", () => {
  it("moves the first ⌊largest/2⌋ rows of the largest worker to the end of the smallest until 10·min ≥ max", () => {
    // sizes 1, 40, 12: 10·1 < 40 → move 20 rows of w1 to w0 (sizes 21, 20, 12), then 120 ≥ 21 stops
    const lists = [["a"], Array.from({ length: 40 }, (_, k) => `b${k}`), Array.from({ length: 12 }, (_, k) => `c${k}`)];
    const out = rebalanceRows(lists);
    expect(out.map((l) => l.length)).toEqual([21, 20, 12]);
    expect(out[0]!.slice(0, 3)).toEqual(["a", "b0", "b1"]);
    expect(out[1]![0]).toBe("b20");
  });

  it("breaks ties towards the lowest worker index", () => {
    // two smallest (0 rows) and two largest (4 rows): the first of each is chosen
    expect(rebalanceRows([[1, 2, 3, 4], [], [5, 6, 7, 8], []]).map((l) => l.length)).toEqual([2, 2, 2, 2]);
  });

  it("leaves already balanced workers alone", () => {
    const parts = [indexed(10), indexed(100)];
    expect(rebalance(parts).map(origin)).toEqual(parts.map(origin));
  });

  it("works on datasets: rows move with their labels, order preserved", () => {
    const a = indexed(1, () => 7), b: Dataset = { n: 30, p: 1, X: Float64Array.from({ length: 30 }, (_, r) => 100 + r), y: new Float64Array(30).fill(9) };
    const [x, y] = rebalance([a, b]);
    expect(origin(x!)).toEqual([0, ...Array.from({ length: 15 }, (_, k) => 100 + k)]);
    expect(Array.from(x!.y)).toEqual([7, ...new Array(15).fill(9)]);
    expect(y!.n).toBe(15);
  });

  it("throws E_DATA when the rule cannot be met (one row and an empty worker)", () => {
    expect(() => rebalanceRows([[1], []])).toThrow(/E_DATA/);
  });
});

describe("dirichletLabelSplit", () => {
  const data = indexed(600, (r) => r % 3);

  it("is a partition of the rows, in file order inside each worker", () => {
    const parts = dirichletLabelSplit(data, 5, 0.5, RandomStream.of(1, "data"));
    const all = parts.flatMap(origin).sort((a, b) => a - b);
    expect(all).toEqual(origin(data));
    for (const d of parts) expect(origin(d)).toEqual([...origin(d)].sort((a, b) => a - b));
  });

  it("is deterministic for a fixed stream", () => {
    const a = dirichletLabelSplit(data, 5, 0.5, RandomStream.of(1, "data"));
    const b = dirichletLabelSplit(data, 5, 0.5, RandomStream.of(1, "data"));
    expect(a.map(origin)).toEqual(b.map(origin));
  });

  it("skews labels more at small concentration than at large", () => {
    // Mean over workers of the largest label share: ≈ 1/3 when i.i.d., → 1 as concentration → 0.
    const skew = (alpha: number) => {
      const parts = dirichletLabelSplit(data, 10, alpha, RandomStream.of(2, "data")).filter((d) => d.n > 0);
      return parts.reduce((s, d) => {
        const c = [0, 0, 0];
        d.y.forEach((v) => c[v]!++);
        return s + Math.max(...c) / d.n;
      }, 0) / parts.length;
    };
    expect(skew(0.05)).toBeGreaterThan(0.8);
    expect(skew(1000)).toBeLessThan(0.45);
  });
});

describe("splitByLabel", () => {
  const data = indexed(1000, (r) => (r * 7) % 10);

  it("gives every client exactly labelsPerClient distinct labels and partitions the rows", () => {
    const parts = splitByLabel(data, 100, 2, RandomStream.of(3, "data"));
    expect(parts).toHaveLength(100);
    for (const d of parts) expect(new Set(d.y).size).toBe(2);
    expect(parts.flatMap(origin).sort((a, b) => a - b)).toEqual(origin(data));
  });

  it("shares each label evenly among its holders (every label has 20 holders of 5 rows here)", () => {
    const parts = splitByLabel(data, 100, 2, RandomStream.of(3, "data"));
    for (const d of parts) expect(d.n).toBe(10);
  });

  it("throws E_CONFIG when labelsPerClient exceeds the number of labels", () => {
    expect(() => splitByLabel(data, 10, 11, RandomStream.of(3, "data"))).toThrow(/E_CONFIG/);
  });
});
