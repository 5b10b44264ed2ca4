// The QLSD family on the federated algorithms of src/algorithms (docs/algorithms.md "Extension
// points"; QLSD, Vono et al. 2022, Algorithms 1–2). Uplink g_k^i = C(oracle − η^i), server
//   θ_{k+1} = θ_k − γ ((b/m) Σ_{i∈A_k} g_k^i + η_k) + √(2γ) Z_{k+1},  η_{k+1} = η_k + α Σ_{i∈A_k} g_k^i
// is `diana` (α > 0: QLSD++ with memory) or `qsgd` (α = 0: QLSD#, QLSD*, QLSD++ without memory,
// LSD/SGLD with the identity compressor) with aggregate "sum", fixed-size participation, and a
// server hook adding the Langevin noise: the direction d becomes d − √(2/γ) Z, so the step −γd
// that server and clients apply carries +√(2γ) Z. The update travels as float32 (the algorithms'
// uncompressed downlink) and every party holds the same float64 θ_k.
import { createAlgorithm, type Algorithm, type AlgorithmClient, type AlgorithmServer, type ServerHooks } from "../algorithms/index.js";
import { kernel } from "../kernel/index.js";
import type { ClientPotential } from "./model.js";
import type { ResolvedParams } from "./options.js";
import { qlsdOracle, type QlsdOracle } from "./oracle.js";
import { noiseStream } from "./streams.js";

/** The src/algorithms algorithm a resolved sampler runs on. */
export function samplerAlgorithm(p: ResolvedParams): Algorithm {
  const participation = p.participation === p.clients ? 1 : { kind: "fixed" as const, m: p.participation };
  const base = { gamma: p.stepSize, up: p.compressor, aggregate: "sum" as const, participation };
  return p.alpha > 0 ? createAlgorithm("diana", { ...base, alpha: p.alpha, serverMemory: "all-workers" }) : createAlgorithm("qsgd", base);
}

/** d ← d − √(2/γ) Z_{k+1}, Z from (seed, langevin, k, SERVER): the Euler–Maruyama noise. */
export function langevinHooks(seed: bigint, gamma: number, dim: number): ServerHooks {
  const z = new Float32Array(dim), s = Math.sqrt(2 / gamma);
  return {
    beforeApply(d, { round }) {
      kernel().fillNormal(noiseStream(seed, round), z);
      for (let j = 0; j < d.length; j++) d[j] = d[j]! - s * z[j]!;
    },
  };
}

export function createSamplerServer(p: ResolvedParams, seed: bigint, theta0: Float64Array, algorithm = samplerAlgorithm(p)): AlgorithmServer {
  return algorithm.createServer({ w0: theta0, clients: p.clients, seed, hooks: langevinHooks(seed, p.stepSize, p.dim) });
}

export interface SamplerClient { readonly client: AlgorithmClient; readonly oracle: QlsdOracle }

/** Client i: the algorithm's client and the QLSD oracle over its own data (its potential U_i). */
export function createSamplerClient(p: ResolvedParams, seed: bigint, theta0: Float64Array, id: number, potential: ClientPotential, algorithm = samplerAlgorithm(p)): SamplerClient {
  return { client: algorithm.createClient({ id, w0: theta0, seed }), oracle: qlsdOracle(potential, p, seed) };
}
