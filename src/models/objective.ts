// The four entry points every objective of this folder shares — the data-term sums (lossSum,
// gradSum) and the regularised means (loss, grad) of spec/optimization.md "Models with exact
// gradients" — built once around a model's two unchecked kernels, so the checks and the
// (1/m)·Σ + λw arithmetic are written in one place.
import { checkShapes, rowCount } from "./check.js";
import { squaredNorm } from "./linalg.js";
import type { ExactObjective } from "./types.js";

/** Σ_{j∈rows} ℓ_j(w) over the first m rows (or `rows`), arguments already checked. */
export type SumLoss = (w: Float64Array, X: Float64Array, y: Float64Array, m: number, rows?: ArrayLike<number>) => number;
/** out ← Σ_{j∈rows} ∇ℓ_j(w), arguments already checked. */
export type SumGrad = (w: Float64Array, X: Float64Array, y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>) => void;

/** lossSum, gradSum, loss and grad of F(w) = (1/m) Σ ℓ_j(w) + (λ/2)‖w‖² (ridge λ, parameter dimension dim, p features). */
export function exactMethods(name: string, dim: number, p: number, ridge: number, sumLoss: SumLoss, sumGrad: SumGrad):
  Pick<ExactObjective, "lossSum" | "gradSum" | "loss" | "grad"> {
  return {
    lossSum(w, data, rows) {
      checkShapes(name, dim, p, w, data);
      return sumLoss(w, data.X, data.y, rowCount(name, data, rows), rows);
    },
    gradSum(w, data, out, rows) {
      checkShapes(name, dim, p, w, data, out);
      sumGrad(w, data.X, data.y, rowCount(name, data, rows), out, rows);
      return out;
    },
    loss(w, data, rows) {
      checkShapes(name, dim, p, w, data);
      const m = rowCount(name, data, rows);
      return sumLoss(w, data.X, data.y, m, rows) / m + 0.5 * ridge * squaredNorm(w);
    },
    grad(w, data, out, rows) {
      checkShapes(name, dim, p, w, data, out);
      const m = rowCount(name, data, rows);
      sumGrad(w, data.X, data.y, m, out, rows);
      const inv = 1 / m;
      for (let j = 0; j < dim; j++) out[j] = out[j]! * inv + ridge * w[j]!;
      return out;
    },
  };
}
