// Averaged runs (`runs: n` in a run config): the papers average 5 runs of each algorithm (the
// authors' utils/runner/AverageOfSeveralIdenticalRun.py; their ErrorPlotter draws the mean of
// log10(F − F*) with a ±1 standard-deviation band). Run r uses seed `seed + r` (compressor,
// minibatch and participation streams); the problem, its data and F* are the same for all runs.
// The curve is the mean of log10(F − F*) at each evaluated iteration (a geometric mean of
// F − F*), the band mean ± 1 sd (sample sd, n − 1) of log10(F − F*); bits are the mean over runs.
import type { Divergence } from "./divergence.js";
import { tailLog10, type Trajectory } from "./run-report.js";

/** mean and sample sd of log10(max(e, floor)) over the runs, per index. */
export function log10MeanSd(values: readonly (readonly number[])[], floor: number): { mean: number[]; sd: number[] } {
  const n = values.length, len = Math.min(...values.map((v) => v.length));
  const mean: number[] = [], sd: number[] = [];
  for (let i = 0; i < len; i++) {
    const logs = values.map((v) => Math.log10(Math.max(v[i]!, floor)));
    const m = logs.reduce((s, x) => s + x, 0) / n;
    mean.push(m);
    sd.push(n > 1 ? Math.sqrt(logs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)) : 0);
  }
  return { mean, sd };
}

/**
 * One trajectory from the n runs of one algorithm. The runs evaluate at the same iterations; a
 * run that diverged is shorter, so the average stops where the shortest run stops and carries
 * the earliest divergence (with how many runs diverged).
 */
export function averageRuns(runs: readonly Trajectory[], floor: number): Trajectory {
  const first = runs[0]!;
  if (runs.length === 1) return first;
  const { mean, sd } = log10MeanSd(runs.map((t) => t.excessLoss), floor);
  const len = mean.length;
  const avg = (pick: (t: Trajectory) => number[]) => Array.from({ length: len }, (_, i) => runs.reduce((s, t) => s + pick(t)[i]!, 0) / runs.length);
  const diverged = runs.filter((t) => t.diverged).map((t) => t.diverged!);
  const earliest = diverged.reduce<Divergence | undefined>((a, d) => (a === undefined || d.iteration < a.iteration ? d : a), undefined);
  return {
    label: first.label, algorithm: first.algorithm,
    iterations: first.iterations.slice(0, len),
    excessLoss: mean.map((m) => 10 ** m),
    bitsUp: avg((t) => t.bitsUp), bitsDown: avg((t) => t.bitsDown), bitsTotal: avg((t) => t.bitsTotal), wireBitsTotal: avg((t) => t.wireBitsTotal),
    seconds: runs.reduce((s, t) => s + t.seconds, 0),
    runs: runs.length,
    // each run's plateau (mean log10(F − F*) over its last quarter): their spread says which gaps
    // between algorithms exceed the seed-to-seed variation
    runTails: runs.map((t) => tailLog10(t, floor)),
    band: { lo: mean.map((m, i) => 10 ** (m - sd[i]!)), hi: mean.map((m, i) => 10 ** (m + sd[i]!)) },
    ...(earliest ? { diverged: { iteration: earliest.iteration, reason: `${earliest.reason} (${diverged.length} of ${runs.length} runs diverged)` } } : {}),
  };
}
