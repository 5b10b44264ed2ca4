// Federated samplers of the QLSD family (spec/langevin.md; QLSD, Vono et al. 2022, Algorithms 1–2)
// as BlackJAX-style SamplingAlgorithms: built from a model and hyper-parameters, init() gives a
// Chain whose step() is one round of server broadcast → client uplinks → server update.
import { FedquantError } from "../errors.js";
import type { Chain, ChainState, InitOptions, SamplingAlgorithm } from "./chain.js";
import { createSamplerClient, type SamplerClientState } from "./client.js";
import { clientPotential, type BayesModel } from "./model.js";
import { resolveParams, type ResolvedParams, type SamplerParams } from "./options.js";
import { createSamplerServer, type SamplerServerState } from "./server.js";
import { simulateRound } from "./simulate.js";
import { chainSeed } from "./streams.js";

export function checkInit(dim: number, o: InitOptions): { seed: bigint; chain: number; theta0: Float64Array } {
  if (o === null || typeof o !== "object") throw new FedquantError("E_CONFIG", "init: options { seed, chain?, theta0? } are required");
  const chain = o.chain ?? 0;
  if (!(Number.isInteger(chain) && chain >= 0 && chain < 0xffffff)) throw new FedquantError("E_CONFIG", `init: chain must be an integer in [0, 2^24 − 1), got ${String(o.chain)}`);
  if (!(typeof o.seed === "bigint" || (Number.isInteger(o.seed) && o.seed >= 0))) throw new FedquantError("E_CONFIG", `init: seed must be an integer ≥ 0, got ${String(o.seed)}`);
  const theta0 = o.theta0 ?? new Float64Array(dim);
  if (!(theta0 instanceof Float64Array) || theta0.length !== dim) throw new FedquantError("E_DIM", `init: theta0 must be a Float64Array of length ${dim}`);
  if (theta0.some((v) => !Number.isFinite(v))) throw new FedquantError("E_INPUT", "init: theta0 has a non-finite entry");
  return { seed: chainSeed(o.seed, chain), chain, theta0 };
}

/** Any member of the family from its parameters (the named builders below fix `algorithm`). */
export function federatedSampler(model: BayesModel, params: SamplerParams): SamplingAlgorithm & { readonly params: ResolvedParams } {
  const resolved = resolveParams(model, params);
  const potentials = model.clients.map((_, i) => clientPotential(model, i));
  return {
    name: resolved.algorithm,
    dim: model.dim,
    params: resolved,
    init(options): Chain {
      const { seed, theta0 } = checkInit(model.dim, options);
      const server = createSamplerServer(resolved, seed, theta0);
      const clients = potentials.map((_, i) => createSamplerClient(i, resolved, seed));
      return {
        name: resolved.algorithm,
        dim: model.dim,
        get round() { return server.round; },
        get theta() { return server.theta; },
        get bits() { return server.bits; },
        step() { simulateRound(server, clients, potentials); },
        save(): ChainState {
          return { server: server.save() as unknown as ChainState, clients: clients.map((c) => c.save() as unknown as ChainState) };
        },
        load(state) {
          const cs = state.clients;
          if (!Array.isArray(cs) || cs.length !== clients.length) throw new FedquantError("E_STATE", `saved state has ${Array.isArray(cs) ? cs.length : "no"} clients, the sampler has ${clients.length}`);
          server.load(state.server as unknown as SamplerServerState);
          clients.forEach((c, i) => c.load(cs[i] as unknown as SamplerClientState));
        },
      };
    },
  };
}

type Without<K extends keyof SamplerParams> = Omit<SamplerParams, "algorithm" | K>;

/** Full-gradient Langevin (Euler–Maruyama of dθ = −∇U dt + √2 dB), uncompressed unless a compressor is given. */
export const lsd = (model: BayesModel, p: Without<"batchSize" | "refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "lsd" });
/** QLSD#: compressed minibatch gradients. */
export const qlsdSharp = (model: BayesModel, p: Without<"refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "qlsd#" });
/** QLSD*: compressed minibatch gradients with control variates at the mode θ*. */
export const qlsdStar = (model: BayesModel, p: Without<"refresh" | "memory" | "alpha"> & { thetaStar: Float64Array }) => federatedSampler(model, { ...p, algorithm: "qlsd*" });
/** QLSD++: SVRG control variates refreshed every ℓ steps and DIANA memory. */
export const qlsdPlusPlus = (model: BayesModel, p: Without<"thetaStar">) => federatedSampler(model, { ...p, algorithm: "qlsd++" });
/** Federated SGLD: uncompressed minibatch gradients (float32 on the wire). */
export const federatedSgld = (model: BayesModel, p: Without<"compressor" | "refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "sgld" });
