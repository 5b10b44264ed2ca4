// Priors π_0 of the Bayesian model (spec/langevin.md: U = Σ_i U_i, each U_i carrying its client's
// share of −log π_0; QLSD, Vono et al. 2022, eq. (1)). A prior is given by its potential −log π_0.
import { FedquantError } from "../errors.js";

export interface Prior {
  /** "flat" | "gaussian" */
  readonly kind: string;
  /** −log π_0(θ) up to an additive constant. */
  potential(theta: Float64Array): number;
  /** out += scale · ∇(−log π_0)(θ); returns out. */
  addGrad(theta: Float64Array, out: Float64Array, scale: number): Float64Array;
  /** JSON description (results metadata). */
  describe(): Record<string, number | string>;
}

/** The improper flat prior: potential 0 (E4's toy Gaussian: the posterior is then N(ȳ, I/N)). */
export function flatPrior(): Prior {
  return {
    kind: "flat",
    potential: () => 0,
    addGrad: (_t, out) => out,
    describe: () => ({ kind: "flat" }),
  };
}

/** θ ~ N(0, variance · I): potential ‖θ‖² / (2 variance). */
export function gaussianPrior(variance: number): Prior {
  if (!(Number.isFinite(variance) && variance > 0)) throw new FedquantError("E_CONFIG", `gaussianPrior: variance must be a finite number > 0, got ${variance}`);
  const inv = 1 / variance;
  return {
    kind: "gaussian",
    potential(theta) {
      let s = 0;
      for (let j = 0; j < theta.length; j++) s += theta[j]! * theta[j]!;
      return 0.5 * inv * s;
    },
    addGrad(theta, out, scale) {
      const c = scale * inv;
      for (let j = 0; j < theta.length; j++) out[j] += c * theta[j]!;
      return out;
    },
    describe: () => ({ kind: "gaussian", variance }),
  };
}
