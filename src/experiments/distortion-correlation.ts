// The seeds' figure "distortion with respect to the correlation between the gradients of K = 8
// workers" (issue #11 item 6d), as part of `fedquant distortion`: worker k holds
// x_k = √c·z + √(1 − c)·ε_k (z, ε_k i.i.d. N(0, I_d), so each x_k is N(0, I_d) and corr(x_k, x_l) = c),
// compresses it independently (its own stream; a shared-codebook method shares its codebook), and the
// server averages: distortion = E‖x̄ − (1/K) Σ_k Q_k(x_k)‖² per bucket, x̄ = (1/K) Σ_k x_k.
// Unbiased independent compressors give (1/K²) Σ_k E‖Q_k(x_k) − x_k‖², the same at every c; a
// deterministic (biased) one gives errors that align as c → 1 and stop averaging out.
// Streams: z = (seed, "data", m, 0), ε_k = (seed, "data", m, 1 + k), worker k's compression =
// (seed, "compress", m, k): the same draws at every c (common random numbers, smooth curves).
import { FedquantError } from "../errors.js";
import { readBuckets, writeBuckets } from "../compressors/stovoq-buckets.js";
import { RandomStream } from "../random/index.js";
import { DISTORTION_METHODS } from "./distortion.js";

export interface CorrelationConfig {
  d: number;
  buckets: number;
  messages: number;
  /** Workers averaged (the seeds' figure: 8). */
  workers: number;
  /** Correlations c ∈ [0, 1]. */
  correlations: number[];
  seed: number;
  methods?: string[];
}

export const CORR_FULL: CorrelationConfig = { d: 16, buckets: 32, messages: 16, workers: 8, correlations: [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1], seed: 1 };
export const CORR_QUICK: CorrelationConfig = { d: 16, buckets: 8, messages: 4, workers: 8, correlations: [0, 0.5, 1], seed: 1 };

export interface CorrelationRow { method: string; label: string; short: string; correlation: number; total: number; totalSe: number }

export function runCorrelation(cfg: CorrelationConfig, onProgress?: (method: string) => void): CorrelationRow[] {
  const { d, buckets: B, messages: R, workers: K, seed } = cfg;
  if (!(Number.isInteger(K) && K >= 1 && Number.isInteger(R) && R >= 2 && Number.isInteger(B) && B >= 1)) {
    throw new FedquantError("E_CONFIG", `distortion correlation: need integers workers ≥ 1, messages ≥ 2, buckets ≥ 1 (got ${K}, ${R}, ${B})`);
  }
  if (!cfg.correlations.length || cfg.correlations.some((c) => !(c >= 0 && c <= 1))) {
    throw new FedquantError("E_CONFIG", `distortion correlation: correlations must lie in [0, 1], got ${cfg.correlations.join(",")}`);
  }
  const keys = cfg.methods ?? DISTORTION_METHODS.map((m) => m.key);
  const rows: CorrelationRow[] = [];
  for (const key of keys) {
    const meth = DISTORTION_METHODS.find((m) => m.key === key);
    if (!meth) throw new FedquantError("E_CONFIG", `distortion correlation: unknown method "${key}"`);
    const q = meth.make(d);
    const per = cfg.correlations.map(() => [] as number[]);
    for (let m = 0; m < R; m++) {
      const z = RandomStream.of(seed, "data", m, 0).normals(B * d);
      const eps = Array.from({ length: K }, (_, k) => RandomStream.of(seed, "data", m, 1 + k).normals(B * d));
      cfg.correlations.forEach((c, ci) => {
        const a = Math.sqrt(c), b = Math.sqrt(1 - c);
        const mean = new Float64Array(B * d), est = new Float64Array(B * d);
        for (let k = 0; k < K; k++) {
          const x = Float32Array.from(z, (v, i) => a * v + b * eps[k]![i]!);
          const rng = RandomStream.of(seed, "compress", m, k);
          const p = writeBuckets(q, q.encode(x, B, rng.clone()), B);
          const y = q.decode(readBuckets(q, p.bytes, p.bits, B, key), B, rng.clone());
          for (let i = 0; i < B * d; i++) { mean[i] += x[i]! / K; est[i] += y[i]! / K; }
        }
        let e = 0;
        for (let i = 0; i < B * d; i++) e += (mean[i]! - est[i]!) ** 2;
        per[ci]!.push(e / B);
      });
      onProgress?.(key);
    }
    cfg.correlations.forEach((c, ci) => {
      const v = per[ci]!, n = v.length, mu = v.reduce((s, t) => s + t, 0) / n;
      const se = Math.sqrt(v.reduce((s, t) => s + (t - mu) ** 2, 0) / (n - 1) / n);
      rows.push({ method: key, label: meth.label, short: meth.short, correlation: c, total: mu, totalSe: se });
    });
  }
  return rows;
}
