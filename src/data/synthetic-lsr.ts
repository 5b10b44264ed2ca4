// Synthetic least-squares data: E3's correlated-Gaussian LSR (spec/experiments.md E3; Artemis,
// Philippenko & Dieuleveut 2020, §5 and their DataPreparation.build_data_linear) and E2's
// overlapping-workers LSR (DoStoVoQ, spec/experiments.md E2).
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { nonNegative, positiveInt } from "./dataset.js";
import { DataTag } from "./streams.js";

/**
 * Fills out[o..o+d) with a N(0, Toeplitz(ρ^|i−j|)) vector from d standard normals z[zo..zo+d).
 * This is x = L z with L the Cholesky factor of the Toeplitz matrix, which for ρ^|i−j| has the
 * closed form L_i0 = ρ^i, L_ij = ρ^(i−j)·√(1−ρ²) (j ≥ 1) — i.e. the AR(1) recursion
 * x_0 = z_0, x_k = ρ x_{k−1} + √(1−ρ²) z_k, O(d) per row instead of O(d²).
 */
export function toeplitzGaussian(out: Float64Array, o: number, z: ArrayLike<number>, zo: number, d: number, rho: number): void {
  const s = Math.sqrt(1 - rho * rho);
  let prev = z[zo]!;
  out[o] = prev;
  for (let k = 1; k < d; k++) { prev = rho * prev + s * z[zo + k]!; out[o + k] = prev; }
}

export interface SyntheticLsrOptions {
  workers?: number;
  perWorker?: number;
  /** parameter dimension, bias included (the first feature is the constant 1) */
  dim?: number;
  seed: number | bigint;
  /** correlation of the Toeplitz covariance (default 0.6) */
  rho?: number;
  /** label noise standard deviation (default 0.4) */
  noiseStd?: number;
  /** the "+2" of the label model (default 2) */
  intercept?: number;
}

export interface SyntheticLsr {
  workers: Dataset[];
  /** the population optimum in model coordinates: [intercept, w*_0, …, w*_{dim−2}] */
  wStar: Float64Array;
}

/**
 * How "y = xᵀw* + 2 + N(0, 0.4²), d = 20 incl. bias" is read (as the Artemis code builds it):
 * the raw features z ∈ R^(dim−1) are N(0, Toeplitz(0.6^|i−j|)); y = zᵀw* + 2 + ε with
 * w*_j = (−1)^(j+1) e^(−j/10) for j = 0 … dim−2 (0-based, so w*_0 = −1, as generate_param);
 * the dataset row is x = [1, z], so the "+2" is the intercept a model learns on the bias column,
 * and the population optimum is wStar = [2, w*]. Each worker has its own streams, all i.i.d.
 */
export function syntheticLsr(options: SyntheticLsrOptions): SyntheticLsr {
  const W = positiveInt("syntheticLsr: workers", options.workers ?? 20);
  const m = positiveInt("syntheticLsr: perWorker", options.perWorker ?? 200);
  const dim = positiveInt("syntheticLsr: dim", options.dim ?? 20);
  if (dim < 2) throw new FedquantError("E_CONFIG", "syntheticLsr: dim must be ≥ 2 (bias + one feature)");
  const rho = options.rho ?? 0.6, sigma = nonNegative("syntheticLsr: noiseStd", options.noiseStd ?? 0.4);
  const intercept = options.intercept ?? 2;
  if (!Number.isFinite(intercept)) throw new FedquantError("E_CONFIG", `syntheticLsr: intercept must be finite, got ${intercept}`);
  if (!(Math.abs(rho) < 1)) throw new FedquantError("E_CONFIG", `syntheticLsr: rho must be in (−1, 1), got ${rho}`);
  const q = dim - 1;
  const wStar = new Float64Array(dim);
  wStar[0] = intercept;
  for (let j = 0; j < q; j++) wStar[1 + j] = (j % 2 === 0 ? -1 : 1) * Math.exp(-j / 10);

  const workers: Dataset[] = [];
  for (let i = 0; i < W; i++) {
    const z = RandomStream.of(options.seed, "data", DataTag.syntheticLsr, i).normals(m * q);
    const eps = RandomStream.of(options.seed, "data", DataTag.syntheticLsr + 1, i).normals(m);
    const X = new Float64Array(m * dim), y = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      X[r * dim] = 1;
      toeplitzGaussian(X, r * dim + 1, z, r * q, q, rho);
      let t = 0;
      for (let j = 0; j < dim; j++) t += X[r * dim + j]! * wStar[j]!;
      y[r] = t + sigma * eps[r]!;
    }
    workers.push({ n: m, p: dim, X, y });
  }
  return { workers, wStar };
}

export interface LsrE2Options {
  /** rows of the base sample (default 2^14) */
  n?: number;
  /** features D (default 2^9) */
  dim?: number;
  workers?: number;
  /** rows per worker m, drawn with replacement from the n (default 2^11) */
  perWorker?: number;
  seed: number | bigint;
  /** label noise standard deviation (default 0.5) */
  noiseStd?: number;
}

export interface LsrE2 {
  workers: Dataset[];
  /** the n base rows */
  full: Dataset;
  /** the base row of every worker row: workers[i] row k is full row rowsOfWorker[i][k] */
  rowsOfWorker: Uint32Array[];
  thetaTrue: Float64Array;
}

/**
 * E2 (spec/experiments.md): x ~ N(0, I_D), θ ~ N(0, I_D/D) so that Var(xᵀθ) ≈ 1, y = xᵀθ + ε with
 * ε ~ N(0, 0.5²) (the spec leaves the label model open; this gives a signal-to-noise ratio of 4);
 * each worker draws m of the n rows uniformly with replacement (workers overlap).
 * Memory: the workers hold K·m·D doubles (256 MB at the defaults) besides the n·D of `full`.
 */
export function lsrE2(options: LsrE2Options): LsrE2 {
  const n = positiveInt("lsrE2: n", options.n ?? 2 ** 14);
  const D = positiveInt("lsrE2: dim", options.dim ?? 2 ** 9);
  const K = positiveInt("lsrE2: workers", options.workers ?? 32);
  const m = positiveInt("lsrE2: perWorker", options.perWorker ?? 2 ** 11);
  const sigma = nonNegative("lsrE2: noiseStd", options.noiseStd ?? 0.5);
  const seed = options.seed;
  const th = RandomStream.of(seed, "data", DataTag.lsrE2, 0).normals(D);
  const thetaTrue = new Float64Array(D);
  for (let j = 0; j < D; j++) thetaTrue[j] = th[j]! / Math.sqrt(D);

  const X = new Float64Array(n * D), y = new Float64Array(n);
  const xs = RandomStream.of(seed, "data", DataTag.lsrE2 + 1, 0);
  const eps = RandomStream.of(seed, "data", DataTag.lsrE2 + 2, 0).normals(n);
  for (let r = 0; r < n; r++) {
    const z = xs.normals(D); // row by row: the same numbers as one big draw when 4 | D, less memory
    let t = 0;
    for (let j = 0; j < D; j++) { X[r * D + j] = z[j]!; t += z[j]! * thetaTrue[j]!; }
    y[r] = t + sigma * eps[r]!;
  }
  const full: Dataset = { n, p: D, X, y };

  const workers: Dataset[] = [], rowsOfWorker: Uint32Array[] = [];
  for (let i = 0; i < K; i++) {
    const pick = RandomStream.of(seed, "data", DataTag.lsrE2 + 3, i);
    const rows = new Uint32Array(m);
    for (let k = 0; k < m; k++) rows[k] = pick.int(n);
    const Xi = new Float64Array(m * D), yi = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      Xi.set(X.subarray(rows[k]! * D, rows[k]! * D + D), k * D);
      yi[k] = y[rows[k]!]!;
    }
    workers.push({ n: m, p: D, X: Xi, y: yi });
    rowsOfWorker.push(rows);
  }
  return { workers, full, rowsOfWorker, thetaTrue };
}
