// Divergence is a result (issue #11 item 2): the diverging algorithm's curve ends with a marker
// and "diverged at k" in the summary, the other algorithms of the run finish.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { DivergedSignal, DivergenceWatch } from "../../src/experiments/divergence.js";
import { parseRunConfig } from "../../src/experiments/run-config.js";
import { runExperiment } from "../../src/experiments/run.js";
import type { IterationInfo } from "../../src/federation/simulator.js";

const tmp = () => mkdtempSync(join(tmpdir(), "fedquant-div-"));
const info = (iteration: number, loss?: number) =>
  ({ iteration, loss, downlinks: new Map(), uplinks: new Map(), active: [] }) as unknown as IterationInfo;

describe("DivergenceWatch", () => {
  it("stops at the first evaluated excess loss above 1e6 × the start, keeping that point", () => {
    const w = new DivergenceWatch(1, 2); // F* = 1, F(w0) − F* = 2: threshold 2e6
    w.observe(info(1, 1 + 1.9e6));        // below: kept
    w.observe(info(2));                    // not evaluated: nothing to check
    let caught: unknown;
    try { w.observe(info(3, 1 + 2.1e6)); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(DivergedSignal);
    expect(w.classify(caught)).toMatchObject({ iteration: 3 });
    expect(w.curve.iterations).toEqual([0, 1, 3]);
    expect(w.curve.excessLoss[2]).toBeCloseTo(2.1e6, 6);
  });

  it("a non-finite loss stops without adding a point; a non-finite vector thrown inside iteration k+1 is divergence at k+1", () => {
    const w = new DivergenceWatch(0, 1);
    w.observe(info(1, 0.5));
    expect(() => w.observe(info(2, Infinity))).toThrow(DivergedSignal);
    expect(w.curve.iterations).toEqual([0, 1]);
    const w2 = new DivergenceWatch(0, 1);
    w2.observe(info(1, 0.5));
    expect(w2.classify(new FedquantError("E_INPUT", "qsgd.encode: x[3] = Infinity is not finite"))).toMatchObject({ iteration: 2 });
  });

  it("other errors are not divergence, and a non-finite start is bad input (E_INPUT)", () => {
    const w = new DivergenceWatch(0, 1);
    expect(w.classify(new FedquantError("E_CONFIG", "bad"))).toBeUndefined();
    expect(w.classify(new RangeError("x"))).toBeUndefined();
    expect(() => new DivergenceWatch(0, NaN)).toThrow(/E_INPUT/);
  });
});

describe("a run with a diverging algorithm", () => {
  // Error feedback around an unbiased compressor of variance ω: E‖e_{k+1}‖² = ω E‖v_k + e_k‖²
  // (e_{k+1} = (v + e) − C(v + e)), so with QSGD s = 1 ℓ2 in D = 20 (ω = √20 ≈ 4.5) the fed-back
  // error grows by ≈ ω per step: 1e6 × the start is passed within a few dozen iterations, while
  // SGD at γ = 1/L contracts. (The run's length, 80, leaves a margin of several decades.)
  it("records DoubleSqueeze (ℓ2 QSGD s = 1, D = 20) as diverged, marks its curve, and runs the others to the end", async () => {
    const out = tmp();
    const cfg = parseRunConfig({
      name: "div", problem: { kind: "synthetic-lsr", workers: 4, perWorker: 50, dim: 20, seed: 1 }, iterations: 80, batch: "full",
      gamma: "1/L", seed: 1, up: { name: "qsgd", params: { s: 1, norm: "l2" } }, down: { name: "qsgd", params: { s: 1, norm: "l2" } },
      algorithms: [{ name: "double-squeeze", label: "DoubleSqueeze" }, { name: "sgd", label: "SGD" }],
    });
    const r = await runExperiment(cfg, { outDir: out, cacheDir: join(out, "c") });
    const [ds, sgd] = r.trajectories;
    expect(ds!.diverged?.iteration).toBeGreaterThan(0);
    expect(ds!.diverged!.iteration).toBeLessThan(80);
    expect(ds!.iterations.length).toBeLessThan(81);
    expect(ds!.excessLoss.every(Number.isFinite)).toBe(true);
    expect(sgd!.diverged).toBeUndefined();
    expect(sgd!.iterations).toHaveLength(81);
    expect(r.summary).toContain(`diverged at k = ${ds!.diverged!.iteration}`);
    const svg = readFileSync(join(out, "excess-vs-iterations.svg"), "utf8");
    expect(svg).toContain(`diverged at k = ${ds!.diverged!.iteration}`);
    const json = JSON.parse(readFileSync(join(out, "div.json"), "utf8"));
    expect(json.meta.diverged.DoubleSqueeze.iteration).toBe(ds!.diverged!.iteration);
  });
});
