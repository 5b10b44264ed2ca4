// Averaged runs (`runs: n`, src/experiments/run-average.ts): the curve is the mean over seeds
// seed … seed + n − 1 of log10(F − F*), the band ±1 sample standard deviation — checked against
// hand-computed values and against n single runs made separately with those seeds.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { averageRuns, log10MeanSd } from "../../src/experiments/run-average.js";
import { parseRunConfig } from "../../src/experiments/run-config.js";
import { summarize, tailLog10, type Trajectory } from "../../src/experiments/run-report.js";
import { runExperiment } from "../../src/experiments/run.js";
import { lineChartSvg } from "../../src/report/index.js";

const tmp = () => mkdtempSync(join(tmpdir(), "fedquant-runs-"));

function traj(excess: number[], bits: number[], diverged?: number): Trajectory {
  return {
    label: "a", algorithm: "qsgd", iterations: excess.map((_, i) => 10 * i), excessLoss: excess,
    bitsUp: bits, bitsDown: bits.map((b) => 2 * b), bitsTotal: bits.map((b) => 3 * b), wireBitsTotal: bits.map((b) => 4 * b), seconds: 1,
    ...(diverged !== undefined ? { diverged: { iteration: diverged, reason: "non-finite loss" } } : {}),
  };
}

describe("log10MeanSd / averageRuns", () => {
  it("mean and sample sd of log10: {1e-2, 1e-4} → −3 ± √2, {1e-4, 1e-4} → −4 ± 0", () => {
    const r = log10MeanSd([[1e-2, 1e-4], [1e-4, 1e-4]], 1e-16);
    expect(r.mean[0]).toBeCloseTo(-3, 12);
    expect(r.sd[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(r.mean[1]).toBeCloseTo(-4, 12);
    expect(r.sd[1]).toBe(0);
  });

  it("values at or below the floor (F − F* ≤ 0 by float64 rounding) count as the floor", () => {
    expect(log10MeanSd([[-1e-17], [1e-16]], 1e-16).mean[0]).toBeCloseTo(-16, 12);
  });

  it("the averaged trajectory: geometric-mean loss, band 10^(mean ± sd), mean bits, summed seconds", () => {
    const t = averageRuns([traj([1, 1e-2], [0, 10]), traj([1, 1e-4], [0, 30])], 1e-16);
    expect(t.runs).toBe(2);
    expect(t.excessLoss[1]).toBeCloseTo(1e-3, 15);
    expect(t.band!.lo[1]).toBeCloseTo(10 ** (-3 - Math.SQRT2), 15);
    expect(t.band!.hi[1]).toBeCloseTo(10 ** (-3 + Math.SQRT2), 12);
    expect(t.bitsUp).toEqual([0, 20]);
    expect(t.bitsTotal).toEqual([0, 60]);
    expect(t.seconds).toBe(2);
  });

  it("a run that diverged cuts the average at its last point and is reported with how many runs diverged", () => {
    const t = averageRuns([traj([1, 0.5, 0.2], [0, 1, 2]), traj([1, 3], [0, 1], 20), traj([1, 0.4, 0.1], [0, 1, 2])], 1e-16);
    expect(t.iterations).toEqual([0, 10]);
    expect(t.diverged).toEqual({ iteration: 20, reason: "non-finite loss (1 of 3 runs diverged)" });
  });

  it("one run is returned as it is", () => {
    const one = traj([1, 0.1], [0, 5]);
    expect(averageRuns([one], 1e-16)).toBe(one);
  });
});

describe("runs: n in a run config", () => {
  const base = {
    problem: { kind: "synthetic-lsr", workers: 4, perWorker: 30, dim: 5, seed: 2 },
    iterations: 20, batch: 5, gamma: "1/(2L)", evalEvery: 5,
    up: { name: "qsgd", params: { s: 2, norm: "l2" } }, down: { name: "qsgd", params: { s: 2, norm: "l2" } },
    algorithms: [{ name: "artemis", label: "Artemis" }, { name: "sgd", label: "SGD" }],
  };

  it("is 1 by default and refuses 0 (E_CONFIG)", () => {
    expect(parseRunConfig({ ...base, name: "x" }).runs).toBe(1);
    expect(() => parseRunConfig({ ...base, name: "x", runs: 0 })).toThrow(/E_CONFIG[\s\S]*runs/);
  });

  it("runs: 3 is the mean of log10(F − F*) of three single runs with seeds s, s+1, s+2, with the ±1 sd band in the CSV", async () => {
    const out = tmp();
    const avg = await runExperiment(parseRunConfig({ ...base, name: "avg", seed: 7, runs: 3 }), { outDir: join(out, "avg"), cacheDir: join(out, "c") });
    const singles: Trajectory[][] = [];
    for (const seed of [7, 8, 9]) singles.push((await runExperiment(parseRunConfig({ ...base, name: `s${seed}`, seed }), { outDir: join(out, `s${seed}`), cacheDir: join(out, "c") })).trajectories);
    for (const [j, t] of avg.trajectories.entries()) {
      expect(t.runs).toBe(3);
      t.iterations.forEach((_, i) => {
        const logs = singles.map((s) => Math.log10(s[j]!.excessLoss[i]!));
        const m = logs.reduce((a, b) => a + b, 0) / 3;
        const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
        expect(Math.log10(t.excessLoss[i]!)).toBeCloseTo(m, 10);
        expect(Math.log10(t.band!.hi[i]!) - Math.log10(t.excessLoss[i]!)).toBeCloseTo(sd, 10);
      });
    }
    // each run's own plateau, and their sd in the summary ("sd across runs")
    const rows = summarize(avg.trajectories, 1e-4);
    avg.trajectories.forEach((t, j) => {
      const tails = singles.map((s) => tailLog10(s[j]!));
      tails.forEach((v, r) => expect(t.runTails![r]).toBeCloseTo(v, 12));
      const m = tails.reduce((a, b) => a + b, 0) / 3;
      expect(rows[j]!.tailSd).toBeCloseTo(Math.sqrt(tails.reduce((a, b) => a + (b - m) ** 2, 0) / 2), 12);
    });
    // minibatches and quantization differ between seeds: the band has width after the start
    const art = avg.trajectories[0]!;
    expect(art.band!.hi[art.band!.hi.length - 1]! / art.band!.lo[art.band!.lo.length - 1]!).toBeGreaterThan(1.01);
    const csv = readFileSync(join(out, "avg", "avg.csv"), "utf8").split("\n")[0]!;
    expect(csv).toContain("excess_loss_band_lo");
    expect(csv).toContain("excess_loss_band_hi");
  });
});

describe("the band of an averaged curve in a line chart", () => {
  const x = [0, 1, 2, 3], y = [0, -1, -2, -3];
  it("draws one translucent area per banded series under its line, and the legend once", async () => {
    const svg = await lineChartSvg({ title: "t", xLabel: "k", yLabel: "log10", series: [
      { label: "avg", x, y, band: { lo: y.map((v) => v - 0.5), hi: y.map((v) => v + 0.5) } },
      { label: "single", x, y: y.map((v) => v - 1) },
    ] });
    expect([...svg.matchAll(/aria-roledescription="area mark"/g)].length).toBe(1);
    expect([...svg.matchAll(/aria-roledescription="line mark"/g)].length).toBe(2);
  });

  it("a band of another length than the series is an E_DIM", async () => {
    await expect(lineChartSvg({ title: "t", xLabel: "k", yLabel: "y", series: [{ label: "a", x, y, band: { lo: [0], hi: [1] } }] }))
      .rejects.toMatchObject({ code: "E_DIM" });
  });
});

