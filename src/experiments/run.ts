// `fedquant run <config.json>`: one problem, several algorithms, the same seed; every
// trajectory comes from the in-process simulator driving the algorithms' state machines with
// real encoded messages (src/federation/simulator.ts), then goes to the report (run-report.ts).
import { createAlgorithm, type AlgorithmConfig } from "../algorithms/index.js";
import { simulate } from "../federation/simulator.js";
import { ready } from "../kernel/index.js";
import { federatedLoss } from "../models/index.js";
import { checkResumable, writeStamp } from "./config-stamp.js";
import { DivergenceWatch } from "./divergence.js";
import { averageRuns } from "./run-average.js";
import { buildProblem, type Problem } from "./problems.js";
import { RunProgress } from "./run-progress.js";
import { resolveGamma, type AlgorithmEntry, type RunConfig } from "./run-config.js";
import { writeRunReport, type Trajectory } from "./run-report.js";

export interface RunOptions {
  outDir: string;
  /** called once per algorithm with its iteration count, then per iteration */
  progress?: (label: string, total: number) => { tick(): void; stop(): void };
  log?: (msg: string) => void;
  cacheDir?: string;
  /** reuse the trajectories a previous, interrupted run of the same config saved in outDir */
  resume?: boolean;
  /** threads for the clients (federation/pool, bit-exact); default 1 */
  threads?: number;
}

export interface RunOutput { problem: Problem; trajectories: Trajectory[]; files: string[]; summary: string }

/** The algorithm config of one entry: the run's defaults, overridden by the entry. */
export function algorithmConfig(cfg: RunConfig, entry: AlgorithmEntry, L: number): AlgorithmConfig {
  const gamma = resolveGamma(entry.gamma ?? cfg.gamma, L);
  // The run's default compressors go to the links an algorithm compresses by default, except
  // where the algorithm is named "<compressor>-…" (dostovoq-sgd keeps dostovoq).
  const defaults = createAlgorithm(entry.name, { gamma }).config;
  const takesRunDefault = (link: { name: string }) => link.name !== "identity" && !entry.name.startsWith(`${link.name}-`);
  const c: AlgorithmConfig = { gamma, participation: cfg.redrawEmpty ? { kind: "bernoulli", p: cfg.participation, redrawEmpty: true } : cfg.participation };
  const up = entry.up ?? (takesRunDefault(defaults.up) ? cfg.up : undefined);
  const down = entry.down ?? (takesRunDefault(defaults.down) ? cfg.down : undefined);
  if (up) c.up = up;
  if (down) c.down = down;
  if (typeof entry.alpha === "number") c.alpha = entry.alpha;
  if (typeof entry.alphaDown === "number") c.alphaDown = entry.alphaDown;
  if (entry.serverMemory) c.serverMemory = entry.serverMemory;
  if (entry.beta !== undefined) c.beta = entry.beta;
  if (entry.eta !== undefined) c.eta = entry.eta;
  if (entry.memoryInit !== undefined) c.memoryInit = entry.memoryInit;
  return c;
}

export async function runExperiment(cfg: RunConfig, opts: RunOptions): Promise<RunOutput> {
  // a folder written by another config is refused before any work (its saved trajectories would
  // be silently ignored and its report overwritten); then this config claims the folder below
  if (opts.resume) checkResumable(opts.outDir, cfg);
  await ready();
  const problem = buildProblem(cfg.problem, { cacheDir: opts.cacheDir, log: opts.log });
  // stamped once the problem exists (missing data leaves no folder behind)
  writeStamp(opts.outDir, cfg, cfg.name);
  const { objective, workers, L, optimum } = problem;
  const trajectories: Trajectory[] = [];
  const progress = new RunProgress(opts.outDir, cfg);
  for (const [index, entry] of cfg.algorithms.entries()) {
    const label = entry.label ?? entry.name;
    const saved = opts.resume ? progress.load(index, label) : undefined;
    if (saved) {
      opts.log?.(`${label}: reusing the trajectory saved by the interrupted run`);
      trajectories.push(saved);
      continue;
    }
    const config = algorithmConfig(cfg, entry, L);
    const algo = createAlgorithm(entry.name, config);
    const excess0 = federatedLoss(objective, new Float64Array(objective.dim), workers) - optimum.fStar;
    const runs: Trajectory[] = [];
    for (let r = 0; r < cfg.runs; r++) {
      const bar = opts.progress?.(cfg.runs > 1 ? `${label} (run ${r + 1}/${cfg.runs})` : label, cfg.iterations);
      const t0 = performance.now();
      // a diverging algorithm ends its own curve (with the iteration it diverged at); the others run on
      const watch = new DivergenceWatch(optimum.fStar, excess0);
      try {
        const res = simulate({
          algorithm: algo, objective, workers, iterations: cfg.iterations, batchSize: cfg.batch,
          seed: cfg.seed + r, fStar: optimum.fStar, evalEvery: cfg.evalEvery, threads: opts.threads,
          onIteration: (info) => { bar?.tick(); watch.observe(info); },
        });
        runs.push({
          label, algorithm: algo.name, iterations: res.iterations, excessLoss: res.excessLoss!,
          bitsUp: res.bitsUp, bitsDown: res.bitsDown, bitsTotal: res.bitsTotal, wireBitsTotal: res.wireBitsTotal,
          seconds: (performance.now() - t0) / 1000,
        });
      } catch (e) {
        const diverged = watch.classify(e);
        if (!diverged) throw e;
        opts.log?.(`${label}${cfg.runs > 1 ? ` (run ${r + 1})` : ""}: diverged at k = ${diverged.iteration} (${diverged.reason}); the other algorithms go on`);
        runs.push({ label, algorithm: algo.name, ...watch.curve, seconds: (performance.now() - t0) / 1000, diverged });
      } finally {
        bar?.stop();
      }
    }
    // the report's floor for F − F* (float64 resolution of F), so a run at the floor averages as the floor
    const t = averageRuns(runs, Math.max(1e-16, 4 * Number.EPSILON * Math.abs(optimum.fStar)));
    progress.save(index, t);
    trajectories.push(t);
  }
  const meta = {
    problem: problem.description, workers: workers.length, dim: objective.dim, L, gamma: resolveGamma(cfg.gamma, L),
    fStar: optimum.fStar, optimumMethod: optimum.method, optimumGradNorm: optimum.gradNorm,
  };
  const { files, summary } = await writeRunReport(opts.outDir, cfg, meta, trajectories);
  progress.clear();
  return { problem, trajectories, files, summary };
}
