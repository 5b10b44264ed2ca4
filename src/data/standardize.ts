// Column standardisation (x − mean)/std with the population std (÷ n) and std = 0 → 1, as in
// data/README step 3 (reference preprocessing of the Artemis/MCM experiments).

export interface Standardized {
  /** the standardised copy, row-major n × p (the input is left untouched) */
  X: Float64Array;
  mean: Float64Array;
  /** population standard deviation per column, with 0 replaced by 1 */
  std: Float64Array;
}

export function standardize(X: Float64Array, n: number, p: number): Standardized {
  const mean = new Float64Array(p), std = new Float64Array(p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) mean[j] += X[r * p + j]!;
  for (let j = 0; j < p; j++) mean[j] = n > 0 ? mean[j]! / n : 0;
  // two passes (mean, then squared deviations): no cancellation of Σx² − n·mean²
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) { const d = X[r * p + j]! - mean[j]!; std[j] += d * d; }
  for (let j = 0; j < p; j++) {
    const s = n > 0 ? Math.sqrt(std[j]! / n) : 0;
    std[j] = s > 0 ? s : 1; // a constant column stays constant (at 0) instead of becoming NaN
  }
  return { X: applyStandardization(X, n, p, mean, std), mean, std };
}

/** (x − mean)/std column-wise into a new array: for held-out rows with the training moments. */
export function applyStandardization(X: Float64Array, n: number, p: number, mean: Float64Array, std: Float64Array): Float64Array {
  const out = new Float64Array(n * p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) out[r * p + j] = (X[r * p + j]! - mean[j]!) / std[j]!;
  return out;
}
