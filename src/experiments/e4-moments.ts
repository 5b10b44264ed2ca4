// The part E4's toy Gaussian and Bayesian logistic regression share (spec/experiments.md E4): run
// every sampler against a reference posterior (exact, or a long MALA chain), then tabulate and plot
// the MSE of the running posterior mean and the relative MSE of the marginal variances.
import type { Table } from "../report/index.js";
import type { BayesModel } from "../sampling/index.js";
import type { E4Common } from "./e4-config.js";
import { footnoteFor, lineFigure, traceTable, writeE4Report, type Figure, type ReportFiles, type TraceSeries } from "./e4-report.js";
import { initialPoint, runChains, samplerRuns, type ProgressFactory, type RunOutcome } from "./sampling-run.js";
import { MomentTrace } from "./traces.js";

export interface E4RunOptions {
  out: string;
  resume?: boolean;
  progress?: ProgressFactory;
  log?: (msg: string) => void;
  quick?: boolean;
  /** threads for the clients' moves (federation/pool); default 1 */
  threads?: number;
}

export interface MomentReference { mean: Float64Array; variance: Float64Array; what: string }

/** Pooled mean and variance of equal-length chains from their Welford states (law of total variance). */
export function pooledMoments(outs: RunOutcome): { mean: Float64Array; variance: Float64Array } {
  const ws = outs.chains.map((c) => c.welford), C = ws.length, n = ws[0]!.count, d = ws[0]!.dim;
  const mean = new Float64Array(d), variance = new Float64Array(d);
  for (const w of ws) for (let j = 0; j < d; j++) mean[j] += w.mean[j]! / C;
  for (const w of ws) for (let j = 0; j < d; j++) variance[j] += w.m2[j]! + n * (w.mean[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) variance[j] = variance[j]! / (C * n - 1);
  return { mean, variance };
}

function mse(a: Float64Array, b: Float64Array): number { let s = 0; for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2; return s / a.length; }
function relMse(v: Float64Array, ref: Float64Array): number { let s = 0; for (let j = 0; j < v.length; j++) s += (v[j]! / ref[j]! - 1) ** 2; return s / v.length; }

export async function runMomentComparison(name: string, cfg: E4Common & { experiment: string }, model: BayesModel, ref: MomentReference, o: E4RunOptions & {
  thetaStar?: () => Float64Array; base: Float64Array; title: string; intro: string; sizes: Record<string, number | string>;
  meta: Record<string, unknown>; extraRows?: (string | number)[][]; notes?: string[]; config: unknown;
}): Promise<ReportFiles & { outcomes: RunOutcome[] }> {
  const b = model.clients.length;
  const runs = samplerRuns(cfg, model, o.thetaStar);
  const fingerprint = JSON.stringify(o.config);
  const outcomes: RunOutcome[] = [];
  for (const run of runs) {
    outcomes.push(runChains(run, {
      out: o.out, cfg, resume: o.resume ?? false, fingerprint, progress: o.progress, threads: o.threads,
      init: (c) => initialPoint(o.base, cfg.init.jitter, cfg.seed, c),
      observers: () => [new MomentTrace(ref.mean, ref.variance, cfg.traceEvery, b)],
    }));
    o.log?.(`${run.label}: done`);
  }
  const rows: (string | number)[][] = outcomes.map((r) => {
    const p = pooledMoments(r);
    const bits = r.chains[0]!.bits;
    const perChainMse = r.chains.map((c) => mse(c.welford.mean, ref.mean));
    return [
      r.run.label, r.run.compressor, bits.upPayload / bits.messages, bits.upTotal / bits.messages,
      perChainMse.reduce((a, x) => a + x, 0) / perChainMse.length, mse(p.mean, ref.mean), relMse(p.variance, ref.variance),
      r.diagnostics.minEss, r.diagnostics.maxRhat, r.stepsPerChain, Number(r.chains.reduce((s, c) => s + c.seconds, 0).toFixed(2)),
    ];
  });
  const summary: Table = {
    columns: ["sampler", "compressor", "bits/client/step (payload)", "bits/client/step (wire)", "mean MSE (per chain, avg)", "mean MSE (pooled chains)",
      "variance rel. MSE (pooled)", "min ESS (pooled)", "max split R̂", "steps/chain", "seconds"],
    rows: [...rows, ...(o.extraRows ?? [])],
  };
  const series: TraceSeries[] = outcomes.map((r) => ({ label: r.run.label, traces: r.chains.map((c) => (c.observers[0] as MomentTrace).rows) }));
  const footnote = footnoteFor(cfg.seed, cfg.chains, o.sizes);
  const figures: Figure[] = [
    await lineFigure("mean-mse-vs-iterations.svg", "MSE of the running posterior mean against iterations", o.title, series, "meanMse", "round", `MSE of the posterior mean vs ${ref.what}`, footnote),
    await lineFigure("mean-mse-vs-bits.svg", "MSE of the running posterior mean against uplink bits per client", o.title, series, "meanMse", "bits", `MSE of the posterior mean vs ${ref.what}`, footnote),
    await lineFigure("variance-mse-vs-iterations.svg", "relative MSE of the running marginal variances against iterations", o.title, series, "varRelMse", "round", `mean_j (σ̂²_j/σ²_j − 1)² vs ${ref.what}`, footnote),
  ];
  const files = await writeE4Report(o.out, name, {
    title: o.title, intro: o.intro, config: o.config, meta: o.meta, summary,
    traces: traceTable(series, ["meanMse", "varRelMse"]), figures, notes: o.notes ?? [],
  });
  return { ...files, outcomes };
}
