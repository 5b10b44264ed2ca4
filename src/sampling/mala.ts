// Full-data MALA (Roberts & Tweedie 1996), the reference sampler for small problems (E4's
// Bayesian logistic regression "reference posterior from a long full-data MALA chain"):
// proposal θ' = θ − γ∇U(θ) + √(2γ) Z, accepted with probability
// min(1, exp(U(θ) − U(θ') + (‖θ' − θ + γ∇U(θ)‖² − ‖θ − θ' + γ∇U(θ')‖²) / (4γ))).
// The step adapts toward acceptance 0.574 (Roberts & Rosenthal 1998) during the first `adapt`
// steps only, so the chain after them is an exact Metropolis–Hastings chain for π.
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import { NO_BITS, type Chain, type SamplingAlgorithm } from "./chain.js";
import { checkInit } from "./federated.js";
import { potential, potentialGrad, checkModel, type BayesModel } from "./model.js";
import { noiseStream } from "./streams.js";

export interface MalaParams {
  /** initial γ */
  stepSize: number;
  /** steps during which γ adapts (Robbins–Monro on log γ); 0 = fixed γ. Use burnIn ≥ adapt. */
  adapt?: number;
  /** target acceptance rate (default 0.574) */
  targetAcceptance?: number;
}

export interface MalaChain extends Chain {
  readonly stepSize: number;
  /** accepted / proposed since the end of adaptation */
  readonly acceptanceRate: number;
}

export function mala(model: BayesModel, p: MalaParams): SamplingAlgorithm<MalaChain> {
  checkModel("mala", model);
  if (!isPlainObject(p)) throw new FedquantError("E_CONFIG", `mala: parameters must be an object, got ${describeValue(p)}`);
  const gamma0 = p.stepSize, adapt = p.adapt ?? 0, target = p.targetAcceptance ?? 0.574;
  if (!(typeof gamma0 === "number" && gamma0 > 0 && Number.isFinite(gamma0))) throw new FedquantError("E_CONFIG", `mala: stepSize must be a finite number > 0, got ${describeValue(gamma0)}`);
  if (!(Number.isInteger(adapt) && adapt >= 0)) throw new FedquantError("E_CONFIG", `mala: adapt must be an integer ≥ 0, got ${describeValue(p.adapt)}`);
  if (!(target > 0 && target < 1)) throw new FedquantError("E_CONFIG", `mala: targetAcceptance must be in (0, 1), got ${describeValue(target)}`);
  const d = model.dim;
  return {
    name: "mala",
    dim: d,
    init(options) {
      const { seed, theta0 } = checkInit(d, options);
      let theta = Float64Array.from(theta0), u = potential(model, theta), g = potentialGrad(model, theta);
      let round = 0, logGamma = Math.log(gamma0), accepted = 0, proposed = 0;
      return {
        name: "mala", dim: d,
        get round() { return round; },
        get theta() { return theta; },
        get stepSize() { return Math.exp(logGamma); },
        get acceptanceRate() { return proposed === 0 ? NaN : accepted / proposed; },
        bits: NO_BITS,
        step() {
          const gamma = Math.exp(logGamma), sigma = Math.sqrt(2 * gamma);
          const rng = noiseStream(seed, round);
          const z = rng.normals(d);
          const prop = new Float64Array(d);
          for (let j = 0; j < d; j++) prop[j] = theta[j]! - gamma * g[j]! + sigma * z[j]!;
          const uP = potential(model, prop), gP = potentialGrad(model, prop);
          let fwd = 0, bwd = 0; // ‖θ' − θ + γ∇U(θ)‖², ‖θ − θ' + γ∇U(θ')‖²
          for (let j = 0; j < d; j++) {
            fwd += (prop[j]! - theta[j]! + gamma * g[j]!) ** 2;
            bwd += (theta[j]! - prop[j]! + gamma * gP[j]!) ** 2;
          }
          const logA = Number.isFinite(uP) ? u - uP + (fwd - bwd) / (4 * gamma) : -Infinity;
          const acc = Math.min(1, Math.exp(logA));
          if (Math.log(rng.uniform()) < logA) { theta = prop; u = uP; g = gP; if (round >= adapt) accepted++; }
          if (round < adapt) logGamma += (acc - target) / Math.pow(round + 1, 0.6);
          else proposed++;
          round++;
        },
        save: () => ({ round, theta: Float64Array.from(theta), logGamma, accepted, proposed }),
        load(s) {
          if (!(s.theta instanceof Float64Array && s.theta.length === d)) throw new FedquantError("E_STATE", "mala: saved state has no θ of the right length");
          round = s.round as number; theta = Float64Array.from(s.theta); logGamma = s.logGamma as number;
          accepted = s.accepted as number; proposed = s.proposed as number;
          u = potential(model, theta); g = potentialGrad(model, theta);
        },
      };
    },
  };
}
