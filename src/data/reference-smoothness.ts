// L = mean_i ‖X_iᵀX_i‖_F / (4 n_i), the smoothness constant of data/README step 7. A twin of
// referenceSmoothness in src/models/federated.ts (data may not import models' code; a test
// checks the two agree).
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/types.js";

/**
 * ‖XᵀX‖_F for row-major X (n × p): the upper triangle of XᵀX, counted twice off the diagonal.
 * Rows are taken four at a time so each Gram entry is loaded and stored once per four rows.
 */
export function gramFrobenius(X: Float64Array, n: number, p: number): number {
  const G = new Float64Array(p * p);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const o0 = r * p, o1 = o0 + p, o2 = o1 + p, o3 = o2 + p;
    for (let i = 0; i < p; i++) {
      const a0 = X[o0 + i]!, a1 = X[o1 + i]!, a2 = X[o2 + i]!, a3 = X[o3 + i]!;
      const gi = i * p;
      for (let j = i; j < p; j++) G[gi + j] += a0 * X[o0 + j]! + a1 * X[o1 + j]! + a2 * X[o2 + j]! + a3 * X[o3 + j]!;
    }
  }
  for (; r < n; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const a = X[o + i]!;
      if (a === 0) continue;
      for (let j = i; j < p; j++) G[i * p + j] += a * X[o + j]!;
    }
  }
  let s = 0;
  for (let i = 0; i < p; i++) {
    s += G[i * p + i]! * G[i * p + i]!;
    for (let j = i + 1; j < p; j++) s += 2 * G[i * p + j]! * G[i * p + j]!;
  }
  return Math.sqrt(s);
}

export function meanGramSmoothness(workers: readonly Dataset[]): number {
  if (workers.length === 0) throw new FedquantError("E_CONFIG", "meanGramSmoothness: no workers");
  let s = 0;
  for (const d of workers) {
    if (d.n === 0) throw new FedquantError("E_DATA", "meanGramSmoothness: a worker has no rows");
    s += gramFrobenius(d.X, d.n, d.p) / (4 * d.n);
  }
  return s / workers.length;
}
