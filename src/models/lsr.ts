// Least-squares regression F(w) = (1/2m) Σ_j (x_jᵀw − y_j)² + (λ/2)‖w‖² and its exact federated
// optimum (spec/optimization.md "Models with exact gradients": LSR, excess loss F(w) − F(w*)).
import { FedquantError } from "../errors.js";
import { checkPositiveInt, checkRidge } from "./check.js";
import { addGramUpper, cholesky, choleskySolve, dotAt, gramMaxEigen, symmetrize } from "./linalg.js";
import { exactMethods } from "./objective.js";
import type { Dataset, ExactObjective, Smooth } from "./types.js";

export interface LeastSquaresOptions { p: number; ridge?: number }

export function leastSquares(options: LeastSquaresOptions): ExactObjective & Smooth {
  const p = checkPositiveInt("leastSquares", "p", options.p);
  const ridge = checkRidge("leastSquares", options.ridge ?? 0);

  // Unchecked kernels: the public methods validate once, then call these.
  function sumLoss(w: Float64Array, X: Float64Array, y: Float64Array, m: number, rows?: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const e = dotAt(X, r * p, w, 0, p) - y[r]!;
      s += e * e;
    }
    return 0.5 * s;
  }
  function sumGrad(w: Float64Array, X: Float64Array, y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>): void {
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const o = r * p;
      const e = dotAt(X, o, w, 0, p) - y[r]!;
      for (let j = 0; j < p; j++) out[j] += e * X[o + j]!;
    }
  }

  return {
    name: "lsr",
    dim: p,
    ridge,
    ...exactMethods("lsr", p, p, ridge, sumLoss, sumGrad),
    /** The Hessian is XᵀX/n + λI, so L is exactly its largest eigenvalue. */
    smoothness(data) {
      if (data.p !== p) throw new FedquantError("E_DIM", `lsr: data has p = ${data.p}, expected ${p}`);
      return gramMaxEigen(data.X, data.n, p) + ridge;
    },
  };
}

/**
 * w* = argmin F, F = (1/N) Σ_i F_i, F_i = (1/2n_i)‖X_i w − y_i‖² + (λ/2)‖w‖²: the normal
 * equations [(1/N) Σ_i X_iᵀX_i / n_i + λI] w = (1/N) Σ_i X_iᵀy_i / n_i, solved by Cholesky.
 * Every worker counts equally whatever its size (the unweighted federated objective).
 */
export function lsrOptimum(datasets: readonly Dataset[], ridge = 0): Float64Array {
  if (datasets.length === 0) throw new FedquantError("E_CONFIG", "lsrOptimum: no datasets");
  checkRidge("lsrOptimum", ridge);
  const p = datasets[0]!.p;
  const N = datasets.length;
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (const d of datasets) {
    if (d.p !== p) throw new FedquantError("E_DIM", `lsrOptimum: datasets have p = ${p} and p = ${d.p}`);
    if (d.n === 0) throw new FedquantError("E_DIM", "lsrOptimum: a dataset has no rows");
    const s = 1 / (N * d.n);
    addGramUpper(A, d.X, d.n, p, s);
    for (let r = 0; r < d.n; r++) {
      const c = s * d.y[r]!;
      const o = r * p;
      for (let j = 0; j < p; j++) b[j] += c * d.X[o + j]!;
    }
  }
  symmetrize(A, p);
  for (let j = 0; j < p; j++) A[j * p + j] += ridge;
  return choleskySolve(cholesky(A, p), p, b);
}
