// The Monte-Carlo predictive p(y | x, D) ≈ (1/K) Σ_k p(y | x, θ_k) of a classifier (spec/langevin.md
// "Output") and its scores: accuracy, negative log-likelihood, Brier score (Brier 1950, summed over
// classes), expected calibration error (Guo et al. 2017, equal-width confidence bins) and the
// predictive entropy.
import { FedquantError } from "../errors.js";
import type { Dataset, Objective } from "../models/types.js";
import type { ChainState } from "./chain.js";

export interface PredictiveMetrics {
  accuracy: number;
  /** −(1/n) Σ log p̄(y_r | x_r) */
  nll: number;
  /** (1/n) Σ_r Σ_c (p̄_rc − 1[c = y_r])² */
  brier: number;
  /** Σ_m (|B_m|/n) |acc(B_m) − conf(B_m)| */
  ece: number;
  /** (1/n) Σ_r −Σ_c p̄_rc log p̄_rc (nats) */
  entropy: number;
}

export interface CalibrationBin {
  /** [lo, hi) of the confidence max_c p̄_rc (the last bin includes 1) */
  lo: number;
  hi: number;
  count: number;
  /** mean confidence in the bin (NaN if empty) */
  confidence: number;
  /** accuracy in the bin (NaN if empty) */
  accuracy: number;
}

/** Class index of every label: ±1 → 0/1 for "logistic" (its predictProba order), else the label itself. */
export function classLabels(objectiveName: string, y: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(y.length);
  for (let r = 0; r < y.length; r++) {
    const v = objectiveName === "logistic" ? (y[r] === 1 ? 1 : y[r] === -1 ? 0 : NaN) : y[r]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new FedquantError("E_INPUT", `predictive: row ${r} has label ${y[r]}, not a class of this ${objectiveName} model`);
    out[r] = v;
  }
  return out;
}

function checkProbs(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  const n = labels.length;
  if (!(Number.isInteger(classes) && classes >= 2)) throw new FedquantError("E_CONFIG", `predictive: classes must be an integer ≥ 2, got ${classes}`);
  if (probs.length !== n * classes) throw new FedquantError("E_DIM", `predictive: ${probs.length} probabilities for ${n} rows × ${classes} classes`);
  if (n === 0) throw new FedquantError("E_INPUT", "predictive: no rows");
  return n;
}

/** Reliability diagram data: `bins` equal-width bins of the top-class confidence. */
export function calibrationBins(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number, bins = 10): CalibrationBin[] {
  const n = checkProbs(probs, labels, classes);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new FedquantError("E_CONFIG", `calibration: bins must be an integer ≥ 1, got ${bins}`);
  const count = new Float64Array(bins), conf = new Float64Array(bins), hit = new Float64Array(bins);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    const p = probs[r * classes + best]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++; conf[b] += p; hit[b] += best === labels[r] ? 1 : 0;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: b / bins, hi: (b + 1) / bins, count: count[b]!,
    confidence: count[b]! > 0 ? conf[b]! / count[b]! : NaN,
    accuracy: count[b]! > 0 ? hit[b]! / count[b]! : NaN,
  }));
}

/** Scores of predictive probabilities (n × classes, row-major) against class labels. */
export function classificationMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number, bins = 10): PredictiveMetrics {
  const n = checkProbs(probs, labels, classes);
  let acc = 0, nll = 0, brier = 0, ent = 0;
  for (let r = 0; r < n; r++) {
    const o = r * classes, y = labels[r]!;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[o + c]!;
      if (p > probs[o + best]!) best = c;
      brier += (p - (c === y ? 1 : 0)) ** 2;
      if (p > 0) ent -= p * Math.log(p);
    }
    if (best === y) acc++;
    nll -= Math.log(Math.max(probs[o + y]!, Number.MIN_VALUE));
  }
  let ece = 0;
  for (const b of calibrationBins(probs, labels, classes, bins)) if (b.count > 0) ece += (b.count / n) * Math.abs(b.accuracy - b.confidence);
  return { accuracy: acc / n, nll: nll / n, brier: brier / n, ece, entropy: ent / n };
}

/** Streaming Monte-Carlo predictive: add(θ_k) as samples arrive; probs() is their average. */
export class PredictiveAccumulator {
  count = 0;
  readonly sum: Float64Array;
  readonly labels: Int32Array;
  readonly classes: number;

  constructor(readonly model: Objective & { classes?: number }, readonly test: Dataset) {
    if (typeof model.predictProba !== "function") throw new FedquantError("E_CONFIG", `predictive: the model "${model.name}" is not a classifier (no predictProba)`);
    this.classes = model.classes ?? 2;
    this.labels = classLabels(model.name, test.y, this.classes);
    this.sum = new Float64Array(test.n * this.classes);
  }

  add(theta: Float64Array): void {
    const p = this.model.predictProba!(theta, this.test);
    for (let i = 0; i < p.length; i++) this.sum[i] += p[i]!;
    this.count++;
  }

  probs(): Float64Array {
    if (this.count === 0) throw new FedquantError("E_STATE", "predictive: no sample added yet");
    return this.sum.map((s) => s / this.count);
  }

  metrics(bins = 10): PredictiveMetrics { return classificationMetrics(this.probs(), this.labels, this.classes, bins); }
  calibration(bins = 10): CalibrationBin[] { return calibrationBins(this.probs(), this.labels, this.classes, bins); }

  save(): ChainState { return { count: this.count, sum: Float64Array.from(this.sum) }; }
  load(s: ChainState): void {
    if (!(s.sum instanceof Float64Array && s.sum.length === this.sum.length)) throw new FedquantError("E_STATE", "predictive: saved state does not match the test set");
    this.count = s.count as number;
    this.sum.set(s.sum);
  }
}
