// Multinomial (softmax) regression: F(W) = (1/m) Σ_j [log Σ_c exp(W_c·x_j) − W_{y_j}·x_j] + (λ/2)‖W‖²
// (spec/optimization.md "Models with exact gradients": softmax regression).
import { FedquantError } from "../errors.js";
import { badClassLabel, checkPositiveInt, checkRidge, checkShapes } from "./check.js";
import { dotAt, gramMaxEigen } from "./linalg.js";
import { exactMethods } from "./objective.js";
import type { Classifier, Dataset, Smooth } from "./types.js";

/** log Σ_c exp(z_c) over z[0..C), shifted by the max so no exp overflows. */
export function logSumExp(z: Float64Array, C: number): number {
  let mx = -Infinity;
  for (let c = 0; c < C; c++) if (z[c]! > mx) mx = z[c]!;
  if (mx === -Infinity || mx === Infinity) return mx;
  let s = 0;
  for (let c = 0; c < C; c++) s += Math.exp(z[c]! - mx);
  return mx + Math.log(s);
}

/** The class index of a label, or a thrown E_INPUT — labels are stored as doubles. */
export function classOf(name: string, r: number, label: number, C: number): number {
  if (!(label >= 0 && label < C && Math.floor(label) === label)) badClassLabel(name, r, label, C);
  return label;
}

export interface SoftmaxOptions { p: number; classes: number; ridge?: number }

/**
 * Parameters: W is classes × p, row-major (class c's weights at w[c·p .. c·p + p)). All C
 * classes carry weights (over-parameterised by one class; the ridge makes the optimum unique).
 */
export function softmax(options: SoftmaxOptions): Classifier & Smooth {
  const p = checkPositiveInt("softmax", "p", options.p);
  const C = checkPositiveInt("softmax", "classes", options.classes);
  const ridge = checkRidge("softmax", options.ridge ?? 0);
  const dim = C * p;
  const z = new Float64Array(C); // per-row logits, reused: no per-row allocation

  function logits(w: Float64Array, X: Float64Array, o: number): void {
    for (let c = 0; c < C; c++) z[c] = dotAt(w, c * p, X, o, p);
  }
  function sumLoss(w: Float64Array, X: Float64Array, y: Float64Array, m: number, rows?: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const cy = classOf("softmax", r, y[r]!, C);
      logits(w, X, r * p);
      s += logSumExp(z, C) - z[cy]!;
    }
    return s;
  }
  function sumGrad(w: Float64Array, X: Float64Array, y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>): void {
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const cy = classOf("softmax", r, y[r]!, C);
      const o = r * p;
      logits(w, X, o);
      const lse = logSumExp(z, C);
      for (let c = 0; c < C; c++) {
        const d = Math.exp(z[c]! - lse) - (c === cy ? 1 : 0); // ∂ℓ/∂z_c = π_c − 1[c = y]
        const oc = c * p;
        for (let j = 0; j < p; j++) out[oc + j] += d * X[o + j]!;
      }
    }
  }

  return {
    name: "softmax",
    dim,
    ridge,
    classes: C,
    ...exactMethods("softmax", dim, p, ridge, sumLoss, sumGrad),
    /**
     * Hessian = (1/n) Σ (diag π − ππᵀ) ⊗ x xᵀ + λI. By Gershgorin, row c of diag π − ππᵀ has
     * diagonal π_c(1−π_c) and off-diagonal mass π_c(1−π_c), so its eigenvalues are ≤ 1/2:
     * L ≤ λ_max(XᵀX/n)/2 + λ.
     */
    smoothness(data: Dataset) {
      if (data.p !== p) throw new FedquantError("E_DIM", `softmax: data has p = ${data.p}, expected ${p}`);
      return gramMaxEigen(data.X, data.n, p) / 2 + ridge;
    },
    predictProba(w, data) {
      checkShapes("softmax", dim, p, w, data);
      const out = new Float64Array(C * data.n);
      for (let r = 0; r < data.n; r++) {
        logits(w, data.X, r * p);
        const lse = logSumExp(z, C);
        for (let c = 0; c < C; c++) out[r * C + c] = Math.exp(z[c]! - lse);
      }
      return out;
    },
  };
}
