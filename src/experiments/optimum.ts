// F* = min_w F(w), F = (1/N) Σ_i F_i (spec/optimization.md), for the excess loss F(w_k) − F*.
// Least squares: the exact normal-equations solution. Logistic: damped Newton on the
// federated objective (p ≤ a few hundred, so the p×p Hessian is cheap), which reaches machine
// precision in tens of full-batch passes where the papers ran ~10^4 gradient steps; other
// objectives: a long full-batch gradient descent. Results are cached on disk by the caller.
import { FedquantError } from "../errors.js";
import { cholesky, choleskySolve, federatedGrad, federatedLoss, lsrOptimum, sigmoid, type Dataset, type Objective } from "../models/index.js";

export interface Optimum { wStar: number[]; fStar: number; gradNorm: number; method: string; iterations: number }

/**
 * Bump when a solver's code changes what it returns (stopping rule, line search, jitter …): the
 * F* cache key (problems.ts) includes optimumSolver(obj), so old entries are then recomputed.
 */
export const OPTIMUM_SOLVER_VERSION = 1;

const SOLVER_LABEL = {
  lsr: "normal-equations",
  logistic: "damped-newton(maxIter=100,tol=1e-13,armijo=1e-4)",
  gd: "gradient-descent(1/L,maxIter=20000,tol=1e-12)",
} as const;
function solverOf(obj: Objective): keyof typeof SOLVER_LABEL {
  return obj.name === "lsr" ? "lsr" : obj.name === "logistic" ? "logistic" : "gd";
}

/** The solver computeOptimum uses for `obj` (with its settings and version): part of the F* cache key. */
export function optimumSolver(obj: Objective): string {
  return `${SOLVER_LABEL[solverOf(obj)]}@v${OPTIMUM_SOLVER_VERSION}`;
}

export function computeOptimum(obj: Objective & { ridge?: number }, workers: readonly Dataset[], opts: { L?: number; maxIter?: number } = {}): Optimum {
  const ridge = obj.ridge ?? 0;
  const solver = solverOf(obj);
  if (solver === "lsr") {
    const w = lsrOptimum(workers, ridge);
    return finish(obj, workers, w, "normal equations", 1);
  }
  if (solver === "logistic") return newtonLogistic(obj, workers, ridge, opts.maxIter ?? 100);
  return gradientDescent(obj, workers, opts.L, opts.maxIter ?? 20000);
}

function finish(obj: Objective, workers: readonly Dataset[], w: Float64Array, method: string, iterations: number): Optimum {
  const g = federatedGrad(obj, w, workers);
  return { wStar: [...w], fStar: federatedLoss(obj, w, workers), gradNorm: Math.hypot(...g), method, iterations };
}

/** Hessian of the federated logistic loss: (1/N) Σ_i (1/n_i) Σ_j σ(m)(1−σ(m)) x xᵀ + λI. */
function logisticHessian(w: Float64Array, workers: readonly Dataset[], ridge: number): Float64Array {
  const p = w.length, H = new Float64Array(p * p);
  for (const d of workers) {
    const scale = 1 / (workers.length * d.n);
    for (let j = 0; j < d.n; j++) {
      let m = 0;
      const o = j * p;
      for (let a = 0; a < p; a++) m += d.X[o + a]! * w[a]!;
      const s = sigmoid(m);
      const c = s * (1 - s) * scale;
      if (c === 0) continue;
      for (let a = 0; a < p; a++) {
        const xa = d.X[o + a]! * c;
        if (xa === 0) continue;
        for (let b = a; b < p; b++) H[a * p + b] += xa * d.X[o + b]!;
      }
    }
  }
  for (let a = 0; a < p; a++) {
    H[a * p + a] += ridge + 1e-12; // tiny jitter: keeps Cholesky defined on flat directions
    for (let b = 0; b < a; b++) H[a * p + b] = H[b * p + a]!;
  }
  return H;
}

function newtonLogistic(obj: Objective, workers: readonly Dataset[], ridge: number, maxIter: number): Optimum {
  const p = obj.dim;
  let w = new Float64Array(p);
  let f = federatedLoss(obj, w, workers);
  let it = 0;
  for (; it < maxIter; it++) {
    const g = federatedGrad(obj, w, workers);
    const gn = Math.hypot(...g);
    if (gn < 1e-13) break;
    const step = choleskySolve(cholesky(logisticHessian(w, workers, ridge), p), p, g);
    // backtracking line search on F (Armijo): Newton steps can overshoot far from w*
    let t = 1, next = w, fNext = f;
    const slope = g.reduce((s, v, i) => s + v * step[i]!, 0);
    for (let k = 0; k < 40; k++, t /= 2) {
      next = w.map((v, i) => v - t * step[i]!);
      fNext = federatedLoss(obj, next, workers);
      if (fNext <= f - 1e-4 * t * slope) break;
    }
    if (!(fNext <= f)) break; // no more progress possible in float64
    w = next; f = fNext;
  }
  return finish(obj, workers, w, "damped Newton", it);
}

function gradientDescent(obj: Objective, workers: readonly Dataset[], L: number | undefined, maxIter: number): Optimum {
  if (!L || !(L > 0)) throw new FedquantError("E_CONFIG", `F* by gradient descent for "${obj.name}" needs a positive smoothness constant L`);
  const w = new Float64Array(obj.dim);
  const g = new Float64Array(obj.dim);
  let it = 0;
  for (; it < maxIter; it++) {
    federatedGrad(obj, w, workers, g);
    if (Math.hypot(...g) < 1e-12) break;
    for (let i = 0; i < w.length; i++) w[i] -= g[i]! / L;
  }
  return finish(obj, workers, w, "gradient descent (γ = 1/L)", it);
}
