// Gaussian location model ℓ_j(θ) = ½‖x_j − θ‖² (unit covariance): the likelihood of E4's toy
// Gaussian (spec/experiments.md E4; Vono et al. 2022, QLSD). Rows of X are the observations y_ij.
import { FedquantError } from "../errors.js";
import { checkPositiveInt, checkRidge } from "./check.js";
import { exactMethods } from "./objective.js";
import type { ExactObjective, Smooth } from "./types.js";

export interface GaussianMeanOptions { p: number; ridge?: number }

export function gaussianMean(options: GaussianMeanOptions): ExactObjective & Smooth {
  const p = checkPositiveInt("gaussianMean", "p", options.p);
  const ridge = checkRidge("gaussianMean", options.ridge ?? 0);

  function sumLoss(w: Float64Array, X: Float64Array, _y: Float64Array, m: number, rows?: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const o = (rows === undefined ? k : rows[k]!) * p;
      for (let j = 0; j < p; j++) { const e = X[o + j]! - w[j]!; s += e * e; }
    }
    return 0.5 * s;
  }
  /** Σ_j (θ − x_j) = m θ − Σ_j x_j */
  function sumGrad(w: Float64Array, X: Float64Array, _y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>): void {
    for (let j = 0; j < p; j++) out[j] = m * w[j]!;
    for (let k = 0; k < m; k++) {
      const o = (rows === undefined ? k : rows[k]!) * p;
      for (let j = 0; j < p; j++) out[j] -= X[o + j]!;
    }
  }

  return {
    name: "gaussian",
    dim: p,
    ridge,
    ...exactMethods("gaussian", p, p, ridge, sumLoss, sumGrad),
    /** The Hessian is (1 + λ) I exactly. */
    smoothness(data) {
      if (data.p !== p) throw new FedquantError("E_DIM", `gaussian: data has p = ${data.p}, expected ${p}`);
      return 1 + ridge;
    },
  };
}
