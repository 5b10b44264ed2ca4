// The shapes every model and data source agrees on: a dense dataset and an objective with exact
// gradients (spec/optimization.md, "Models with exact gradients").

/** One client's (or the whole) data, dense and row-major. */
export interface Dataset {
  /** rows */
  readonly n: number;
  /** features (including the bias column if any) */
  readonly p: number;
  /** row-major n × p */
  readonly X: Float64Array;
  /** ±1 (logistic), class index 0..C-1 (softmax, mlp), real (lsr); unused (zeros) for "gaussian" */
  readonly y: Float64Array;
}

/**
 * A differentiable objective F(w) = (1/m) Σ_{j∈rows} ℓ_j(w) + (λ/2)‖w‖², with m = |rows|
 * (all n rows when `rows` is omitted). Every method checks dimensions and throws E_DIM.
 */
export interface Objective {
  /** "lsr" | "logistic" | "softmax" | "mlp" | "gaussian" */
  readonly name: string;
  /** parameter dimension */
  readonly dim: number;
  /** mean loss over all rows (or `rows`), plus regularisation */
  loss(w: Float64Array, data: Dataset, rows?: ArrayLike<number>): number;
  /** mean gradient over all rows (or over `rows`, a minibatch of row indices), written into out and returned */
  grad(w: Float64Array, data: Dataset, out: Float64Array, rows?: ArrayLike<number>): Float64Array;
  /**
   * per-example gradient sum (not mean) over rows — needed by Langevin samplers: Σ_j ∇ℓ_j(w).
   * The data term only: the ridge term is NOT included (a sampler adds its own prior once, not
   * once per client), so gradSum = m · (grad − λ w).
   */
  gradSum(w: Float64Array, data: Dataset, out: Float64Array, rows?: ArrayLike<number>): Float64Array;
  /** Σ_j ℓ_j(w) over rows, data term only (no ridge): the negative log-likelihood MALA needs. */
  lossSum?(w: Float64Array, data: Dataset, rows?: ArrayLike<number>): number;
  /** smoothness constant L of the mean loss on this data, where there is a closed form / bound */
  smoothness?(data: Dataset): number;
  /** predicted class probabilities for classifiers: n × C row-major */
  predictProba?(w: Float64Array, data: Dataset): Float64Array;
}

/** What every factory of this folder returns: an Objective whose optional `lossSum` is present. */
export interface ExactObjective extends Objective {
  readonly ridge: number;
  lossSum(w: Float64Array, data: Dataset, rows?: ArrayLike<number>): number;
}

/** A classifier: predictProba is always there, with `classes` columns. */
export interface Classifier extends ExactObjective {
  readonly classes: number;
  predictProba(w: Float64Array, data: Dataset): Float64Array;
}

/** Objectives with a closed-form smoothness constant (all but the MLP). */
export interface Smooth {
  smoothness(data: Dataset): number;
}
