// Experiment E1 (experiments.md; spec/stovoq.md "Distortion — how to report it"; Leconte et al.
// 2021, Table 1): distortion at equal bits. x ∼ N(0, I_d) buckets (d = 16); every method encodes
// a message of B buckets to real bytes (the BucketQuantizer frame) and decodes it; K independent
// compressions (independent codebooks / random draws) are averaged. Reported per bucket:
// E‖x − (1/K)Σ_k Q_k(x)‖², its colinear part ⟨x − Q̄, x/‖x‖⟩² and its orthogonal part, with
// standard errors across the R independent messages, and the exact payload bits per bucket
// (per-message side floats amortised over the B buckets).
import { DelaunayQuantizer } from "../compressors/delaunay-quantizer.js";
import { HsqQuantizer } from "../compressors/hsq-quantizer.js";
import { readBuckets, writeBuckets, type BucketQuantizer } from "../compressors/stovoq-buckets.js";
import { StovoqQuantizer } from "../compressors/stovoq-quantizer.js";
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";
import { CrossPolytopeQuantizer, QsgdTernaryQuantizer, RandKQuantizer, SignQuantizer, TopKQuantizer } from "./distortion-quantizers.js";

export interface DistortionMethod { key: string; label: string; short: string; make: (d: number) => BucketQuantizer }

/** The rows of the E1 table, in its order, then the extra rows it asks for. */
export const DISTORTION_METHODS: DistortionMethod[] = [
  { key: "sign", short: "sign", label: "scaled sign (4-bit scale)", make: (d) => new SignQuantizer(d, 4) },
  // the paper's scale ‖x‖₂/√d instead of the error-minimising ‖x‖₁/d (issue #11: why its sign cell differs)
  { key: "sign-l2", short: "sign ℓ2", label: "scaled sign, ℓ2/√d scale (4-bit)", make: (d) => new SignQuantizer(d, 4, "l2") },
  { key: "top2", short: "top-2", label: "top-2 (4-bit index + 4-bit value)", make: (d) => new TopKQuantizer(d, 2, 4) },
  { key: "rand2", short: "rand-2", label: "rand-2 (8-bit values)", make: (d) => new RandKQuantizer(d, 2, 8) },
  { key: "crosspolytope", short: "cross-polytope", label: "cross-polytope (2 draws, 6-bit norm)", make: (d) => new CrossPolytopeQuantizer(d, 2, 6) },
  { key: "hsq-span", short: "HSQ-span", label: "HSQ-span (2^10, 6-bit scalar)", make: (d) => new HsqQuantizer({ d, codebookBits: 10, scalarBits: 6, variant: "span" }) },
  // dual quantization (Pagès & Wilbertz 2012): the seeds' other unbiased decomposition over a random codebook
  { key: "delaunay", short: "Delaunay", label: "Delaunay / dual quantization (2^10, 6-bit scale)", make: (d) => new DelaunayQuantizer({ d, codebookBits: 10, scaleBits: 6 }) },
  { key: "hsq-greedy", short: "HSQ-greedy", label: "HSQ-greedy (2^10, 6-bit scalar)", make: (d) => new HsqQuantizer({ d, codebookBits: 10, scalarBits: 6, variant: "greedy" }) },
  // Dai et al.'s setting: one fixed codebook for every worker and round
  { key: "hsq-greedy-shared", short: "HSQ-greedy shared", label: "HSQ-greedy, shared codebook (2^10, 6-bit scalar)", make: (d) => new HsqQuantizer({ d, codebookBits: 10, scalarBits: 6, variant: "greedy", sharedCodebook: 1 }) },
  { key: "stovoq", short: "StoVoQ", label: "StoVoQ (2^13, 3 radius bits)", make: (d) => new StovoqQuantizer({ d, codebookBits: 13, radiusBits: 3 }) },
  { key: "stovoq-minmax", short: "StoVoQ [min ρ, max ρ]", label: "StoVoQ (2^13, 3 radius bits, grid min ρ…max ρ)", make: (d) => new StovoqQuantizer({ d, codebookBits: 13, radiusBits: 3, radiusGrid: "minmax" }) },
  { key: "stovoq-grvq", short: "StoVoQ grvq", label: "StoVoQ grvq (2^16)", make: (d) => new StovoqQuantizer({ d, codebookBits: 16, variant: "grvq" }) },
  { key: "stovoq-exact", short: "StoVoQ exact ρ", label: "StoVoQ exact norm (2^13 + float32)", make: (d) => new StovoqQuantizer({ d, codebookBits: 13, variant: "exact" }) },
  { key: "qsgd", short: "QSGD s=1", label: "QSGD s=1 (ternary, 6-bit norm)", make: (d) => new QsgdTernaryQuantizer(d, 6) },
];

export interface DistortionConfig {
  /** Bucket dimension (E1: 16). */
  d: number;
  /** Buckets per message (the side floats are amortised over them). */
  buckets: number;
  /** Independent messages (the unit of the standard errors). */
  messages: number;
  /** Compressions averaged: every K in the list (E1: 1 and 20); the largest sets the work. */
  K: number[];
  seed: number;
  /** Method keys (default: all of DISTORTION_METHODS). */
  methods?: string[];
}

export const E1_FULL: DistortionConfig = { d: 16, buckets: 64, messages: 64, K: [1, 20], seed: 1 };
export const E1_QUICK: DistortionConfig = { d: 16, buckets: 16, messages: 8, K: [1, 20], seed: 1 };

export interface DistortionRow {
  method: string;
  label: string;
  short: string;
  K: number;
  bitsPerBucket: number;
  unbiased: boolean;
  total: number; totalSe: number;
  colinear: number; colinearSe: number;
  orthogonal: number; orthogonalSe: number;
}

/** Mean and standard error of a sample. */
function meanSe(v: number[]): [number, number] {
  const n = v.length, m = v.reduce((a, b) => a + b, 0) / n;
  const s2 = n > 1 ? v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1) : 0;
  return [m, Math.sqrt(s2 / n)];
}

/**
 * Run E1. Streams: the data of message m is RandomStream(seed, "data", m, 0); compression k of
 * message m uses RandomStream(seed, "compress", m, k) — independent across k and m.
 * With K = 1 every one of the max(K) compressions is an independent sample: their errors are
 * averaged (more precise than using only the first).
 */
export function runDistortion(cfg: DistortionConfig, onProgress?: (method: string, done: number, total: number) => void): DistortionRow[] {
  const { d, buckets: B, messages: R, seed } = cfg;
  if (!(Number.isInteger(d) && d >= 2 && Number.isInteger(B) && B >= 1 && Number.isInteger(R) && R >= 2)) {
    throw new FedquantError("E_CONFIG", `distortion: need integers d ≥ 2, buckets ≥ 1, messages ≥ 2 (got d=${d}, buckets=${B}, messages=${R})`);
  }
  if (!cfg.K.length || cfg.K.some((k) => !Number.isInteger(k) || k < 1)) throw new FedquantError("E_CONFIG", `distortion: K must be positive integers, got ${cfg.K.join(",")}`);
  const keys = cfg.methods ?? DISTORTION_METHODS.map((m) => m.key);
  const methods = keys.map((k) => {
    const m = DISTORTION_METHODS.find((x) => x.key === k);
    if (!m) throw new FedquantError("E_CONFIG", `distortion: unknown method "${k}"; known: ${DISTORTION_METHODS.map((x) => x.key).join(", ")}`);
    return m;
  });
  const Kmax = Math.max(...cfg.K);
  const rows: DistortionRow[] = [];
  for (const meth of methods) {
    const q = meth.make(d);
    // per message: [K index][metric] sums over buckets
    const perMsg = cfg.K.map(() => ({ total: [] as number[], col: [] as number[], orth: [] as number[] }));
    let bits = 0;
    for (let m = 0; m < R; m++) {
      const x = RandomStream.of(seed, "data", m, 0).normals(B * d);
      const sum = new Float64Array(B * d);
      const single = { total: 0, col: 0 };
      for (let k = 0; k < Kmax; k++) {
        const rng = RandomStream.of(seed, "compress", m, k);
        const payload = writeBuckets(q, q.encode(x, B, rng.clone()), B);
        bits += payload.bits;
        const y = q.decode(readBuckets(q, payload.bytes, payload.bits, B, meth.key), B, rng.clone());
        for (let i = 0; i < B * d; i++) sum[i] += y[i]!;
        const e = errors(x, y, B, d);
        single.total += e.total; single.col += e.col;
      }
      cfg.K.forEach((K, ki) => {
        let e: { total: number; col: number };
        if (K === 1) e = { total: single.total / Kmax, col: single.col / Kmax };
        else if (K === Kmax) e = errors(x, Float64Array.from(sum, (s) => s / K), B, d);
        else {
          // the first K compressions of this message (re-run: rare in practice, E1 uses 1 and Kmax)
          const part = new Float64Array(B * d);
          for (let k = 0; k < K; k++) {
            const rng = RandomStream.of(seed, "compress", m, k);
            const p = writeBuckets(q, q.encode(x, B, rng.clone()), B);
            const y = q.decode(readBuckets(q, p.bytes, p.bits, B, meth.key), B, rng.clone());
            for (let i = 0; i < B * d; i++) part[i] += y[i]! / K;
          }
          e = errors(x, part, B, d);
        }
        perMsg[ki]!.total.push(e.total / B); perMsg[ki]!.col.push(e.col / B); perMsg[ki]!.orth.push((e.total - e.col) / B);
      });
      onProgress?.(meth.key, m + 1, R);
    }
    cfg.K.forEach((K, ki) => {
      const [total, totalSe] = meanSe(perMsg[ki]!.total), [colinear, colinearSe] = meanSe(perMsg[ki]!.col), [orthogonal, orthogonalSe] = meanSe(perMsg[ki]!.orth);
      rows.push({ method: meth.key, label: meth.label, short: meth.short, K, bitsPerBucket: bits / (R * Kmax * B), unbiased: q.unbiased, total, totalSe, colinear, colinearSe, orthogonal, orthogonalSe });
    });
  }
  return rows;
}

/** Σ_b ‖x_b − y_b‖² and Σ_b ⟨x_b − y_b, x_b/‖x_b‖⟩². */
function errors(x: Float32Array, y: ArrayLike<number>, B: number, d: number): { total: number; col: number } {
  let total = 0, col = 0;
  for (let b = 0; b < B; b++) {
    let e2 = 0, ex = 0, xx = 0;
    for (let i = b * d; i < b * d + d; i++) {
      const e = x[i]! - y[i]!;
      e2 += e * e; ex += e * x[i]!; xx += x[i]! * x[i]!;
    }
    total += e2;
    if (xx > 0) col += (ex * ex) / xx;
  }
  return { total, col };
}
