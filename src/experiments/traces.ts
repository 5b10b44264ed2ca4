// What E4 records along a chain (spec/experiments.md E4: "MSE of the running posterior-mean
// estimate (and of the variance estimate) against the exact values, vs iterations and vs bits";
// the predictive scores of the neural net), as checkpointed observers of the disk runner.
import { PredictiveAccumulator, Welford, type ChainState, type Observer, type Sample } from "../sampling/index.js";
import type { Dataset, Objective } from "../models/index.js";

export interface TracePoint { round: number; kept: number; bitsPerClient: number; [metric: string]: number }

function pack(rows: TracePoint[], keys: readonly string[]): ChainState {
  const out: ChainState = {};
  for (const k of keys) out[k] = Float64Array.from(rows, (r) => r[k]!);
  return out;
}

function unpack(s: ChainState, keys: readonly string[]): TracePoint[] {
  const cols = keys.map((k) => s[k] as Float64Array);
  return Array.from({ length: cols[0]!.length }, (_, i) => Object.fromEntries(keys.map((k, j) => [k, cols[j]![i]!])) as TracePoint);
}

/**
 * Running posterior mean and variance against a reference (exact, or a long MALA chain): the MSE of
 * the mean, mean_j (μ̂_j − μ_j)², and the relative MSE of the variances, mean_j (σ̂²_j/σ²_j − 1)².
 */
export class MomentTrace implements Observer {
  readonly name = "moments";
  readonly rows: TracePoint[] = [];
  private readonly w: Welford;
  private static readonly KEYS = ["round", "kept", "bitsPerClient", "meanMse", "varRelMse"] as const;

  constructor(private readonly refMean: Float64Array, private readonly refVar: Float64Array, private readonly every: number, private readonly clients: number) {
    this.w = new Welford(refMean.length);
  }

  observe(s: Sample): void {
    this.w.push(s.theta);
    if (this.w.count % this.every !== 0 || this.w.count < 2) return;
    const v = this.w.variance();
    let m = 0, r = 0;
    for (let j = 0; j < this.refMean.length; j++) {
      m += (this.w.mean[j]! - this.refMean[j]!) ** 2;
      r += (v[j]! / this.refVar[j]! - 1) ** 2;
    }
    const d = this.refMean.length;
    this.rows.push({ round: s.round, kept: this.w.count, bitsPerClient: s.bits.upPayload / this.clients, meanMse: m / d, varRelMse: r / d });
  }

  save(): ChainState { return { welford: this.w.save(), rows: pack(this.rows, MomentTrace.KEYS) }; }
  load(s: ChainState): void {
    this.w.load(s.welford as ChainState);
    this.rows.splice(0, this.rows.length, ...unpack(s.rows as ChainState, MomentTrace.KEYS));
  }
}

/** The streaming Monte-Carlo predictive on a test set and its scores every `every` kept samples. */
export class PredictiveTrace implements Observer {
  readonly name = "predictive";
  readonly rows: TracePoint[] = [];
  readonly acc: PredictiveAccumulator;
  private static readonly KEYS = ["round", "kept", "bitsPerClient", "accuracy", "nll", "brier", "ece", "entropy"] as const;

  constructor(model: Objective & { classes?: number }, test: Dataset, private readonly every: number, private readonly clients: number, private readonly bins: number) {
    this.acc = new PredictiveAccumulator(model, test);
  }

  observe(s: Sample): void {
    this.acc.add(s.theta);
    if (this.acc.count % this.every !== 0) return;
    this.rows.push({ round: s.round, kept: this.acc.count, bitsPerClient: s.bits.upPayload / this.clients, ...this.acc.metrics(this.bins) });
  }

  save(): ChainState { return { acc: this.acc.save(), rows: pack(this.rows, PredictiveTrace.KEYS) }; }
  load(s: ChainState): void {
    this.acc.load(s.acc as ChainState);
    this.rows.splice(0, this.rows.length, ...unpack(s.rows as ChainState, PredictiveTrace.KEYS));
  }
}
