// The client-side gradient estimates of the QLSD family (spec/langevin.md; QLSD, Vono et al. 2022,
// Algorithms 1–2) as a GradientOracle of src/algorithms (docs/algorithms.md "Extension points"):
//   none  ĝ_i(θ) = (N_i/|S|) Σ_{j∈S} ∇U_ij(θ)                                   (QLSD#, SGLD, LSD)
//   mode  ĝ_i(θ) − ĝ_i(θ*) on the same minibatch S                               (QLSD*)
//   svrg  ĝ_i(θ) − ĝ_i(ζ) + h^i,  h^i = ∇U_i(ζ), ζ refreshed every ℓ steps       (QLSD++)
// The DIANA memory of QLSD++ (g − η^i) is the algorithm's own (diana's client memory).
// ζ under partial participation: the spec sets ζ = θ_k at k mod ℓ = 0 for every client; a client
// absent at that step takes ζ^i = θ at its first step of the epoch instead. Any ζ^i keeps
// ĝ_i(θ) − ĝ_i(ζ^i) + ∇U_i(ζ^i) unbiased for ∇U_i(θ), and it needs no extra downlink. Under full
// participation this is exactly the spec.
import { FedquantError } from "../errors.js";
import type { GradientOracle } from "../algorithms/index.js";
import type { ChainState } from "./chain.js";
import type { ClientPotential } from "./model.js";
import type { ResolvedParams } from "./options.js";
import { minibatchStream } from "./streams.js";

export interface QlsdOracle {
  readonly oracle: GradientOracle;
  save(): ChainState;
  load(state: ChainState): void;
}

const NONE = -1;

/**
 * The second gradient of the control variates (ĝ_i(ζ) or ĝ_i(θ*) on the step's minibatch) is
 * written in full by potential.grad and read within the same call, never kept across calls, so
 * all oracles of one thread share one buffer per dimension (as the algorithms' clients share
 * their step scratch, client-base.ts): 8 bytes per coordinate less per simulated client, and
 * none at all for the samplers without a control variate (SGLD, LSD, QLSD#), which never use it.
 */
const g2Scratch = new Map<number, Float64Array>();
function g2Of(dim: number): Float64Array {
  let g = g2Scratch.get(dim);
  if (!g) { g = new Float64Array(dim); g2Scratch.set(dim, g); }
  return g;
}

/** What the oracle reads of the resolved parameters (plain data: a worker thread receives it). */
export type OracleParams = Pick<ResolvedParams, "dim" | "batchSize" | "controlVariate" | "refresh" | "thetaStar">;

export function qlsdOracle(potential: ClientPotential, params: OracleParams, seed: bigint): QlsdOracle {
  const { dim, batchSize, controlVariate, refresh } = params;
  if (potential.dim !== dim) throw new FedquantError("E_DIM", `QLSD oracle: the potential has d = ${potential.dim}, the sampler d = ${dim}`);
  const thetaStar = params.thetaStar;
  let zeta: Float64Array | undefined, h: Float64Array | undefined;
  let epoch = NONE, zetaRound = NONE;

  const oracle: GradientOracle = (w, out, { round, client }) => {
    const rows = batchSize > 0 ? minibatchStream(seed, round, client).sampleWithoutReplacement(potential.n, batchSize) : undefined;
    if (controlVariate === "svrg") {
      const r0 = round - (round % refresh);
      if (epoch !== r0) {
        // a full local pass: computation, no bits (h^i stays on the client)
        zeta = Float64Array.from(w);
        h = potential.grad(zeta, new Float64Array(dim));
        epoch = r0; zetaRound = round;
      }
      if (round === zetaRound) { out.set(h!); return; } // θ = ζ: the minibatch terms cancel exactly
      potential.grad(w, out, rows);
      const g2 = g2Of(dim);
      potential.grad(zeta!, g2, rows);
      for (let j = 0; j < dim; j++) out[j] = out[j]! - g2[j]! + h![j]!;
      return;
    }
    potential.grad(w, out, rows);
    if (controlVariate === "mode") {
      const g2 = g2Of(dim);
      potential.grad(thetaStar!, g2, rows);
      for (let j = 0; j < dim; j++) out[j] = out[j]! - g2[j]!;
    }
  };

  return {
    oracle,
    save: () => ({ epoch, zetaRound, ...(zeta ? { zeta: Float64Array.from(zeta) } : {}), ...(h ? { h: Float64Array.from(h) } : {}) }),
    load(s) {
      if (typeof s.epoch !== "number" || typeof s.zetaRound !== "number") throw new FedquantError("E_STATE", "QLSD oracle: saved state has no epoch");
      epoch = s.epoch; zetaRound = s.zetaRound;
      if (epoch !== NONE && !(s.zeta instanceof Float64Array && s.h instanceof Float64Array && s.zeta.length === dim && s.h.length === dim)) {
        throw new FedquantError("E_STATE", `QLSD oracle: saved state lacks ζ and h of length ${dim}`);
      }
      zeta = s.zeta instanceof Float64Array ? Float64Array.from(s.zeta) : undefined;
      h = s.h instanceof Float64Array ? Float64Array.from(s.h) : undefined;
    },
  };
}
