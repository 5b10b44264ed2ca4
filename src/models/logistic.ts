// Binary logistic regression, labels ±1: F(w) = (1/m) Σ_j log(1 + exp(−y_j x_jᵀw)) + (λ/2)‖w‖²
// (spec/optimization.md "Models with exact gradients"; data/README step 7 with λ = 0).
import { FedquantError } from "../errors.js";
import { checkPositiveInt, checkRidge, checkShapes } from "./check.js";
import { dotAt, gramMaxEigen } from "./linalg.js";
import { exactMethods } from "./objective.js";
import type { Classifier, Dataset, Smooth } from "./types.js";

/**
 * log(1 + eᶻ) without overflow: for z > 0 it is z + log1p(e⁻ᶻ), so e^(±z) is only ever taken
 * of a non-positive argument. Exact to rounding for every finite z (a margin of 1e4 gives 1e4,
 * not Infinity; −1e4 gives 0, not log(1) of an underflowed exp).
 */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** σ(t) = 1/(1 + e⁻ᵗ), with the exponential only of −|t| so it never overflows. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

export interface LogisticOptions { p: number; ridge?: number }

function badLabel(r: number, label: number): never {
  throw new FedquantError("E_INPUT", `logistic: row ${r} has label ${label}, expected −1 or +1 (map 0 → −1 first)`);
}

export function logistic(options: LogisticOptions): Classifier & Smooth {
  const p = checkPositiveInt("logistic", "p", options.p);
  const ridge = checkRidge("logistic", options.ridge ?? 0);

  function sumLoss(w: Float64Array, X: Float64Array, y: Float64Array, m: number, rows?: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const yr = y[r]!;
      if (yr !== 1 && yr !== -1) badLabel(r, yr);
      s += softplus(-yr * dotAt(X, r * p, w, 0, p));
    }
    return s;
  }
  function sumGrad(w: Float64Array, X: Float64Array, y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>): void {
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const yr = y[r]!;
      if (yr !== 1 && yr !== -1) badLabel(r, yr);
      const o = r * p;
      // d/dw log(1 + e^(−y xᵀw)) = −y σ(−y xᵀw) x
      const c = -yr * sigmoid(-yr * dotAt(X, o, w, 0, p));
      for (let j = 0; j < p; j++) out[j] += c * X[o + j]!;
    }
  }

  return {
    name: "logistic",
    dim: p,
    ridge,
    classes: 2,
    ...exactMethods("logistic", p, p, ridge, sumLoss, sumGrad),
    /** Hessian = (1/n) Σ σ(1−σ) x xᵀ + λI ≼ XᵀX/(4n) + λI since σ(1−σ) ≤ 1/4. */
    smoothness(data: Dataset) {
      if (data.p !== p) throw new FedquantError("E_DIM", `logistic: data has p = ${data.p}, expected ${p}`);
      return gramMaxEigen(data.X, data.n, p) / 4 + ridge;
    },
    /** n × 2, columns [P(y = −1), P(y = +1)] — class index 0 is label −1, index 1 is +1. */
    predictProba(w, data) {
      checkShapes("logistic", p, p, w, data);
      const out = new Float64Array(2 * data.n);
      for (let r = 0; r < data.n; r++) {
        const t = dotAt(data.X, r * p, w, 0, p);
        out[2 * r] = sigmoid(-t);
        out[2 * r + 1] = sigmoid(t);
      }
      return out;
    },
  };
}
