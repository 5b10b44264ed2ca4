// Test helpers: sample moments of dataset columns.
import type { Dataset } from "../../src/data/index.js";

/** Mean of column j over all rows of all datasets. */
export function columnMean(ds: readonly Dataset[], j: number): number {
  let s = 0, n = 0;
  for (const d of ds) { for (let r = 0; r < d.n; r++) s += d.X[r * d.p + j]!; n += d.n; }
  return s / n;
}

/** Sample covariance of columns i and j over all rows of all datasets. */
export function columnCov(ds: readonly Dataset[], i: number, j: number): number {
  const mi = columnMean(ds, i), mj = columnMean(ds, j);
  let s = 0, n = 0;
  for (const d of ds) { for (let r = 0; r < d.n; r++) s += (d.X[r * d.p + i]! - mi) * (d.X[r * d.p + j]! - mj); n += d.n; }
  return s / n;
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length;
  return { mean, std: Math.sqrt(v) };
}
