// The federated objective F = (1/N) Σ_i F_i, an unweighted mean over workers of each worker's
// mean loss (spec/optimization.md "Problem"; data/README step 7), and the reference constant L.
import { FedquantError } from "../errors.js";
import { frobenius, gram } from "./linalg.js";
import type { Dataset, Objective } from "./types.js";

function checkWorkers(what: string, workers: readonly Dataset[]): void {
  if (workers.length === 0) throw new FedquantError("E_CONFIG", `${what}: no workers`);
}

/** (1/N) Σ_i F_i(w): every worker counts equally, whatever its number of rows. */
export function federatedLoss(obj: Objective, w: Float64Array, workers: readonly Dataset[]): number {
  checkWorkers("federatedLoss", workers);
  let s = 0;
  for (const d of workers) s += obj.loss(w, d);
  return s / workers.length;
}

/** (1/N) Σ_i ∇F_i(w), written into out (length obj.dim) and returned. */
export function federatedGrad(obj: Objective, w: Float64Array, workers: readonly Dataset[], out: Float64Array = new Float64Array(obj.dim)): Float64Array {
  checkWorkers("federatedGrad", workers);
  if (out.length !== obj.dim) throw new FedquantError("E_DIM", `federatedGrad: out has length ${out.length}, expected ${obj.dim}`);
  const g = new Float64Array(obj.dim);
  out.fill(0);
  for (const d of workers) {
    obj.grad(w, d, g);
    for (let j = 0; j < g.length; j++) out[j] += g[j]!;
  }
  const inv = 1 / workers.length;
  for (let j = 0; j < out.length; j++) out[j] = out[j]! * inv;
  return out;
}

/**
 * L = mean_i ‖X_iᵀX_i‖_F / (4 n_i), exactly the constant of data/README step 7 (Artemis/MCM
 * experiments). The Frobenius norm bounds the spectral norm, so this over-estimates the logistic
 * smoothness λ_max/(4n) — it is kept because the reference step sizes γ = 1/L were tuned with it.
 */
export function referenceSmoothness(workers: readonly Dataset[]): number {
  checkWorkers("referenceSmoothness", workers);
  let s = 0;
  for (const d of workers) {
    if (d.n === 0) throw new FedquantError("E_DIM", "referenceSmoothness: a worker has no rows");
    s += frobenius(gram(d.X, d.n, d.p)) / (4 * d.n);
  }
  return s / workers.length;
}
