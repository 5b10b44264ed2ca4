// Mixing of the E4 neural-network table (issue #11 item 7): split R̂ of the per-draw test accuracy,
// NLL and ECE across chains. Chains drawing i.i.d. from one law must pass (R̂ → 1); chains stuck
// around different points must be flagged NOT MIXED. A softmax model stands in for the MLP: the
// scoring needs only predictProba.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/index.js";
import { mixingCell, RHAT_MIXED, trackedMixing } from "../../src/experiments/e4-mixing.js";
import { softmax } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";
import { SampleWriter } from "../../src/sampling/index.js";

const dir = mkdtempSync(join(tmpdir(), "fq-mix-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const p = 3, C = 3, n = 200;
const r = RandomStream.of(1, "test");
const X = Float64Array.from(r.normals(n * p));
const y = Float64Array.from({ length: n }, (_, i) => (X[i * p]! > 0.5 ? 2 : X[i * p]! < -0.5 ? 0 : 1));
const test = makeDataset(n, p, X, y);
const model = softmax({ p, classes: C });
const labels = Int32Array.from(y);

/** A samples file of `draws` draws centre + s·N(0, I) from its own stream. */
function chain(name: string, centre: Float64Array, s: number, draws: number, seed: number): string {
  const path = join(dir, `${name}.samples`);
  const w = SampleWriter.create(path, centre.length, "float64");
  const z = RandomStream.of(seed, "test", 0, 0).normals(draws * centre.length);
  for (let t = 0; t < draws; t++) w.append(centre.map((c, j) => c + s * z[t * centre.length + j]!));
  w.close();
  return path;
}

const good = Float64Array.from({ length: p * C }, (_, j) => (j === 0 ? -3 : j === 2 * p ? 3 : 0));

describe("per-draw mixing diagnostics", () => {
  it("passes chains that draw i.i.d. from the same law (R̂ < 1.1 on accuracy, NLL and ECE)", () => {
    // 4 chains × 200 i.i.d. draws: split R̂ − 1 is O(1/n) ≈ 0.005 here, far below 0.1
    const paths = [0, 1, 2, 3].map((c) => chain(`iid-${c}`, good, 0.5, 200, 10 + c));
    const m = trackedMixing(paths, model, test, labels, C, 10);
    for (const k of ["accuracy", "nll", "ece"] as const) expect(m.rhat[k]).toBeLessThan(RHAT_MIXED);
    expect(m.mixed).toBe(true);
    expect(mixingCell(m)).toMatch(/^mixed/);
  });

  it("flags chains stuck around different weights as NOT MIXED", () => {
    const other = good.map((v) => v / 4);
    const paths = [chain("a", good, 0.05, 100, 20), chain("b", other, 0.05, 100, 21)];
    const m = trackedMixing(paths, model, test, labels, C, 10);
    expect(m.rhat.nll).toBeGreaterThan(2);
    expect(m.mixed).toBe(false);
    expect(mixingCell(m)).toMatch(/NOT MIXED/);
  });

  it("flags a single chain that drifts (its two halves disagree)", () => {
    const path = join(dir, "drift.samples");
    const w = SampleWriter.create(path, good.length, "float64");
    for (let t = 0; t < 100; t++) w.append(good.map((v) => v * (1 - t / 120)));
    w.close();
    expect(trackedMixing([path], model, test, labels, C, 10).mixed).toBe(false);
  });
});
