// A sampler client as a state machine (spec/langevin.md; QLSD, Vono et al. 2022, Algorithm 1
// (QLSD#, QLSD*) and Algorithm 2 (QLSD++)): decode θ_k, form the (control-variate, memory-shifted)
// local gradient estimate, compress it, send it. State: memory η^i, reference point ζ, h^i = ∇U_i(ζ).
import { FedquantError } from "../errors.js";
import type { ClientPotential } from "./model.js";
import type { ResolvedParams } from "./options.js";
import { decodeDownlink, NO_REFRESH } from "./messages.js";
import { compressStream, minibatchStream } from "./streams.js";

export interface SamplerClientState {
  /** η^i (qlsd++ with memory), else absent */
  eta?: Float64Array;
  /** ζ and h^i = ∇U_i(ζ) (qlsd++), with the round at which ζ was set */
  zeta?: Float64Array;
  h?: Float64Array;
  zetaRound: number;
}

export interface SamplerClient {
  readonly id: number;
  /** One round: downlink bytes in, uplink bytes (the compressed g_k^i) out. */
  step(round: number, downlink: Uint8Array, oracle: ClientPotential): Uint8Array;
  save(): SamplerClientState;
  load(state: SamplerClientState): void;
}

export function createSamplerClient(id: number, params: ResolvedParams, seed: bigint): SamplerClient {
  const { dim, compressor, controlVariate, refresh, alpha, batchSize } = params;
  let eta = alpha > 0 ? new Float64Array(dim) : undefined;
  let zeta: Float64Array | undefined, h: Float64Array | undefined;
  let zetaRound = NO_REFRESH;
  const g = new Float64Array(dim), g2 = new Float64Array(dim);
  // the mode's control variate needs θ* on the client (QLSD*: θ* is public, computed beforehand)
  const thetaStar = params.thetaStar;

  return {
    id,
    step(round, downlink, oracle) {
      if (oracle.dim !== dim) throw new FedquantError("E_DIM", `client ${id}: the potential has d = ${oracle.dim}, the sampler d = ${dim}`);
      const msg = decodeDownlink(seed, downlink, round, dim);
      const theta = msg.theta;
      if (controlVariate === "svrg") {
        const r0 = round - (round % refresh);
        if (msg.refreshRound !== r0) throw new FedquantError("E_PROTOCOL", `client ${id}: server's reference point is from round ${msg.refreshRound}, expected ${r0}`);
        if (zetaRound !== r0) {
          // k mod ℓ = 0: ζ = θ_k. A client that missed that round (partial participation) takes ζ
          // from the downlink. Either way h^i = ∇U_i(ζ) is a full local pass: computation, no bits.
          if (round === r0) zeta = Float64Array.from(theta);
          else if (msg.zeta) zeta = msg.zeta;
          else throw new FedquantError("E_PROTOCOL", `client ${id}: its reference point is stale (round ${zetaRound}) and the downlink of round ${round} carries no ζ`);
          h = oracle.grad(zeta, new Float64Array(dim));
          zetaRound = r0;
        }
      }
      const rows = batchSize > 0 ? minibatchStream(seed, round, id).sampleWithoutReplacement(oracle.n, batchSize) : undefined;
      if (controlVariate === "svrg" && round === zetaRound) {
        // θ_k = ζ: the two minibatch terms are equal and cancel exactly
        g.set(h!);
      } else {
        oracle.grad(theta, g, rows);
        if (controlVariate === "mode") {
          oracle.grad(thetaStar!, g2, rows);
          for (let j = 0; j < dim; j++) g[j] = g[j]! - g2[j]!;
        } else if (controlVariate === "svrg") {
          oracle.grad(zeta!, g2, rows);
          for (let j = 0; j < dim; j++) g[j] = g[j]! - g2[j]! + h![j]!;
        }
      }
      if (eta) for (let j = 0; j < dim; j++) g[j] = g[j]! - eta[j]!;
      const x = Float32Array.from(g);
      for (let j = 0; j < dim; j++) {
        if (!Number.isFinite(x[j]!)) throw new FedquantError("E_STATE", `client ${id}, round ${round}: gradient coordinate ${j} is ${x[j]} — the chain diverged (reduce stepSize; γ·L should be well below 1)`);
      }
      const out = compressor.encode(x, compressStream(seed, round, id));
      if (eta) {
        // η^i ← η^i + α g_k^i with g the value the server will decode, so η = Σ η^i holds exactly
        const q = compressor.decode(out, dim);
        for (let j = 0; j < dim; j++) eta[j] += alpha * q[j]!;
      }
      return out;
    },
    save() {
      return {
        zetaRound,
        ...(eta ? { eta: Float64Array.from(eta) } : {}),
        ...(zeta ? { zeta: Float64Array.from(zeta) } : {}),
        ...(h ? { h: Float64Array.from(h) } : {}),
      };
    },
    load(s) {
      if (alpha > 0 && !(s.eta instanceof Float64Array && s.eta.length === dim)) throw new FedquantError("E_STATE", `client ${id}: saved state has no memory η^i of length ${dim}`);
      eta = s.eta ? Float64Array.from(s.eta) : undefined;
      zeta = s.zeta ? Float64Array.from(s.zeta) : undefined;
      h = s.h ? Float64Array.from(s.h) : undefined;
      zetaRound = s.zetaRound;
    },
  };
}
