// The least-squares problem of experiment E2 (spec/experiments.md E2; Leconte et al. 2021,
// DoStoVoQ): n base rows, K workers each holding m rows drawn with replacement (src/data lsrE2).
// F = (1/K) Σ_i F_i counts base row r as often as the workers drew it (c_r times), so its Hessian
// is A = Σ_r c_r x_r x_rᵀ / (K m) and its gradient at 0 is −b, b = Σ_r c_r y_r x_r / (K m): built
// from the n rows (n·D²/2 multiply-adds, a quarter of the K·m rows' Gram), A gives w* = A⁻¹b by
// Cholesky and L = λ_max(A), μ = λ_min(A) exactly, by bisection on the inertia of A − σI
// (Cholesky succeeds iff σ < λ_min) — no power iteration that stalls on close eigenvalues.
import { FedquantError } from "../errors.js";
import { lsrE2 } from "../data/index.js";
import { cholesky, choleskySolve, federatedGrad, federatedLoss, gram, leastSquares, type Dataset } from "../models/index.js";
import type { Optimum } from "./optimum.js";

export interface LsrE2Config { n: number; dim: number; workers: number; perWorker: number; seed: number; noiseStd: number }

export interface E2Problem {
  description: string;
  objective: ReturnType<typeof leastSquares>;
  workers: Dataset[];
  /** L = λ_max of the Hessian of F (γ = 1/L is the gradient-descent step) */
  L: number;
  /** μ = λ_min of the Hessian of F (F is μ-strongly convex) */
  mu: number;
  optimum: Optimum;
}

/** The Hessian A and b of F (see the file comment), from the base rows and the draw counts. */
export function lsrE2Normal(full: Dataset, rowsOfWorker: readonly Uint32Array[]): { A: Float64Array; b: Float64Array } {
  const { n, p: D } = full;
  const counts = new Float64Array(n);
  let total = 0;
  for (const rows of rowsOfWorker) { total += rows.length; for (const r of rows) counts[r] += 1; }
  if (total === 0) throw new FedquantError("E_CONFIG", "lsrE2Normal: the workers hold no rows");
  const len = rowsOfWorker[0]!.length;
  if (rowsOfWorker.some((r) => r.length !== len)) throw new FedquantError("E_CONFIG", "lsrE2Normal: every worker must hold the same number of rows (F weights workers, not rows)");
  // rows scaled by √c_r, so that their plain Gram is Σ_r c_r x_r x_rᵀ; undrawn rows are left out
  const drawn = counts.reduce((s, c) => s + (c > 0 ? 1 : 0), 0);
  const Xw = new Float64Array(drawn * D), b = new Float64Array(D);
  let k = 0;
  for (let r = 0; r < n; r++) {
    const c = counts[r]!;
    if (c === 0) continue;
    const s = Math.sqrt(c), o = r * D, cy = (c * full.y[r]!) / total;
    for (let j = 0; j < D; j++) { Xw[k * D + j] = s * full.X[o + j]!; b[j] += cy * full.X[o + j]!; }
    k++;
  }
  return { A: gram(Xw, drawn, D, 1 / total), b };
}

function positiveDefinite(A: Float64Array, p: number, shift: number, sign: 1 | -1): boolean {
  // sign = 1: is A − shift·I ≻ 0 ?   sign = −1: is shift·I − A ≻ 0 ?
  const M = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) M[i] = sign * A[i]!;
  for (let i = 0; i < p; i++) M[i * p + i] = M[i * p + i]! - sign * shift;
  try { cholesky(M, p); return true; } catch { return false; }
}

/**
 * λ_min and λ_max of a symmetric p × p matrix to relative precision `rtol`, by bisection on
 * Sylvester's inertia: A − σI has a Cholesky factor iff σ < λ_min, σI − A iff σ > λ_max.
 * The bracket is Gershgorin's. Each step is one Cholesky (p³/3 multiply-adds).
 */
export function extremeEigenvalues(A: Float64Array, p: number, rtol = 1e-10): { min: number; max: number } {
  if (A.length !== p * p) throw new FedquantError("E_DIM", `extremeEigenvalues: ${A.length} entries for a ${p} × ${p} matrix`);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < p; i++) {
    let r = 0;
    for (let j = 0; j < p; j++) if (j !== i) r += Math.abs(A[i * p + j]!);
    lo = Math.min(lo, A[i * p + i]! - r); hi = Math.max(hi, A[i * p + i]! + r);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new FedquantError("E_INPUT", "extremeEigenvalues: the matrix has non-finite entries");
  const width = Math.max(hi - lo, Number.MIN_VALUE);
  // the boundary of a monotone predicate: true below it, false above it
  const bisect = (below: (s: number) => boolean): number => {
    let a = lo - 1e-12 * width, z = hi + 1e-12 * width;
    while (z - a > rtol * Math.max(Math.abs(a), Math.abs(z), width)) {
      const m = 0.5 * (a + z);
      if (m === a || m === z) break;
      if (below(m)) a = m; else z = m;
    }
    return 0.5 * (a + z);
  };
  const min = bisect((s) => positiveDefinite(A, p, s, 1));
  const max = bisect((s) => !positiveDefinite(A, p, s, -1));
  return { min, max };
}

/** 2 GiB of float64: beyond it a typed array cannot be allocated in one piece anyway. */
const MAX_DOUBLES = 2 ** 28;

export function buildLsrE2Problem(cfg: LsrE2Config): E2Problem {
  const held = Math.max(cfg.n, cfg.workers * cfg.perWorker) * cfg.dim;
  if (held > MAX_DOUBLES) throw new FedquantError("E_CONFIG", `lsr-e2: ${held} doubles (max(n, K·m)·D) exceed the ${MAX_DOUBLES} one array can hold; reduce n, workers, perWorker or dim`);
  const { workers, full, rowsOfWorker } = lsrE2(cfg);
  const D = cfg.dim;
  const objective = leastSquares({ p: D });
  const { A, b } = lsrE2Normal(full, rowsOfWorker);
  const { min: mu, max: L } = extremeEigenvalues(A, D, 1e-10);
  if (!(mu > 1e-10 * L)) throw new FedquantError("E_CONFIG", `lsr-e2: F is not strongly convex (λ_min = ${mu}); the workers must hold at least D = ${D} distinct rows`);
  const wStar = choleskySolve(cholesky(A, D), D, b);
  const g = federatedGrad(objective, wStar, workers);
  const optimum: Optimum = {
    wStar: [...wStar], fStar: federatedLoss(objective, wStar, workers), gradNorm: Math.hypot(...g),
    method: "normal equations (count-weighted Gram of the base rows)", iterations: 1,
  };
  const description = `E2 least squares (n = ${cfg.n} rows x ~ N(0, I_D), D = ${D}, K = ${cfg.workers} workers × m = ${cfg.perWorker} rows drawn with replacement; `
    + `L = λ_max = ${L.toPrecision(6)}, μ = λ_min = ${mu.toPrecision(6)})`;
  return { description, objective, workers, L, mu, optimum };
}
