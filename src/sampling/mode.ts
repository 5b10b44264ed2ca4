// The mode θ* = argmin U that QLSD* needs (spec/langevin.md "QLSD*"; QLSD, Vono et al. 2022),
// found by a plain full-batch optimiser (the fallback the spec allows in place of a federated one).
import { FedquantError } from "../errors.js";
import { potential, potentialGrad, type BayesModel } from "./model.js";

export interface ModeOptions {
  theta0?: Float64Array;
  /** stop when ‖∇U(θ)‖ ≤ tol · max(1, N) (default 1e-9) */
  tol?: number;
  maxIter?: number;
}

export interface ModeResult { theta: Float64Array; gradNorm: number; iterations: number; converged: boolean; potential: number }

function norm(v: Float64Array): number { let s = 0; for (const x of v) s += x * x; return Math.sqrt(s); }

/**
 * Gradient descent with Barzilai–Borwein steps safeguarded by Armijo backtracking: for the smooth,
 * strongly log-concave posteriors QLSD* is meant for (Gaussian, logistic) it reaches ∇U ≈ 0 in tens
 * of iterations. An inaccurate θ* biases QLSD* by about −H⁻¹∇U(θ*), hence the tight default tol.
 */
export function findMode(model: BayesModel, o: ModeOptions = {}): ModeResult {
  const d = model.dim, tol = o.tol ?? 1e-9, maxIter = o.maxIter ?? 10_000;
  let theta: Float64Array = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(d);
  if (theta.length !== d) throw new FedquantError("E_DIM", `findMode: theta0 has length ${theta.length}, expected ${d}`);
  let u = potential(model, theta), g: Float64Array = potentialGrad(model, theta);
  if (!Number.isFinite(u)) throw new FedquantError("E_INPUT", "findMode: U(θ_0) is not finite");
  const target = tol * Math.max(1, model.totalRows);
  let step = 1 / Math.max(1, model.totalRows), it = 0;
  for (; it < maxIter && norm(g) > target; it++) {
    const gg = norm(g) ** 2;
    let next: Float64Array, uN: number;
    for (;;) {
      next = theta.map((t, j) => t - step * g[j]!);
      uN = potential(model, next);
      if (uN <= u - 1e-4 * step * gg) break;
      step /= 2;
      if (step < 1e-300) throw new FedquantError("E_STATE", `findMode: line search failed at iteration ${it} (is U smooth and bounded below?)`);
    }
    const gN = potentialGrad(model, next);
    // BB1 step s·s / s·y for the next iteration (y = Δ∇U); keep the old one if curvature is not positive
    let ss = 0, sy = 0;
    for (let j = 0; j < d; j++) { const s = next[j]! - theta[j]!, y = gN[j]! - g[j]!; ss += s * s; sy += s * y; }
    if (sy > 0) step = ss / sy;
    theta = next; u = uN; g = gN;
  }
  const gn = norm(g);
  return { theta, gradNorm: gn, iterations: it, converged: gn <= target, potential: u };
}
