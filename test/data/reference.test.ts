// The real E3 datasets with the reference preprocessing of ../shared/data/README.md, steps 1–7.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceDataset } from "../../src/data/index.js";
import type { Dataset, ReferenceDataset } from "../../src/data/index.js";
import { referenceSmoothness } from "../../src/models/index.js";

const dataDir = "../shared/data";
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`SKIPPED reference dataset tests: ${dataDir} not found (run from a clone with ../shared beside it)`);

const rows = (r: ReferenceDataset) => r.workers.reduce((s, d) => s + d.n, 0);

/** Column means of the features (bias column excluded) over all workers' rows. */
function featureMeans(workers: Dataset[]): Float64Array {
  const p = workers[0]!.p;
  const m = new Float64Array(p);
  let n = 0;
  for (const d of workers) {
    for (let r = 0; r < d.n; r++) for (let j = 0; j < p; j++) m[j] += d.X[r * p + j]!;
    n += d.n;
  }
  return m.map((s) => s / n).subarray(1);
}

describe.skipIf(!haveData)("referenceDataset (needs ../shared/data)", () => {
  // Loaded once per dataset/split: parsing + standardising a9a takes about a second.
  const cache = new Map<string, ReferenceDataset>();
  const get = (name: "phishing" | "a9a", split: "noniid" | "iid") => {
    const key = `${name}/${split}`;
    if (!cache.has(key)) cache.set(key, referenceDataset(name, split, dataDir));
    return cache.get(key)!;
  };

  it.each([
    ["phishing", 11055, 69],
    ["a9a", 32561, 124],
  ] as const)("%s non-iid keeps all %i rows in 20 workers with p = %i (bias included)", (name, n, p) => {
    const r = get(name, "noniid");
    expect(r.workers).toHaveLength(20);
    expect(rows(r)).toBe(n);
    expect(r.p).toBe(p);
    for (const d of r.workers) expect(d.p).toBe(p);
  });

  it.each(["phishing", "a9a"] as const)("%s non-iid is rebalanced: 10·min ≥ max", (name) => {
    const sizes = get(name, "noniid").workers.map((d) => d.n);
    expect(10 * Math.min(...sizes)).toBeGreaterThanOrEqual(Math.max(...sizes));
  });

  it("phishing non-iid worker sizes are the published split after one rebalancing move", () => {
    // worker 16 had 2013 rows, worker 18 had 135: 10·135 < 2013, so 1006 rows moved from 16 to 18
    const sizes = get("phishing", "noniid").workers.map((d) => d.n);
    expect(sizes[16]).toBe(1007);
    expect(sizes[18]).toBe(1141);
  });

  it("phishing labels are ±1 and the first column is the bias", () => {
    for (const d of get("phishing", "noniid").workers) {
      for (let r = 0; r < d.n; r++) {
        expect(Math.abs(d.y[r]!)).toBe(1);
        expect(d.X[r * d.p]).toBe(1);
      }
    }
  });

  it("a9a features are standardised: every column mean is 0 over the whole set", () => {
    // the non-iid split keeps every row, so the whole-set mean is recoverable exactly (to rounding)
    const means = featureMeans(get("a9a", "noniid").workers);
    for (const m of means) expect(Math.abs(m)).toBeLessThan(1e-10);
  });

  it("phishing iid is 20 contiguous chunks of ⌊11055/20⌋ = 552 rows", () => {
    const r = get("phishing", "iid");
    expect(r.workers.map((d) => d.n)).toEqual(new Array(20).fill(552));
  });

  it("L is the models' referenceSmoothness of the workers, mean_i ‖X_iᵀX_i‖_F/(4n_i)", () => {
    const r = get("phishing", "noniid");
    expect(r.L).toBeCloseTo(referenceSmoothness(r.workers), 10);
    // independent value from a NumPy implementation of steps 1–7
    expect(r.L).toBeCloseTo(9.745087156915288, 10);
  });
});

describe("referenceDataset without the data", () => {
  it("throws E_DATA naming ../shared/data when the directory is missing", () => {
    expect(() => referenceDataset("phishing", "iid", "/nonexistent/fedquant-data")).toThrow(/E_DATA: .*not found; these experiments need \.\.\/shared\/data/);
  });
});
