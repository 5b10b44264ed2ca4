// Centralised SGLD (Welling & Teh 2011; spec/langevin.md "Plain SGLD"):
// θ_{k+1} = θ_k − γ Σ_i ĝ_i(θ_k) + √(2γ) Z_{k+1},  ĝ_i = (N_i/|S|) Σ_{j∈S} ∇U_ij.
// No messages: one loop over the clients' data. It draws from the same streams as the federated
// chains and rounds like their float32 wire (each ĝ_i sent as float32, the step
// d = Σ_i ĝ_i − √(2/γ) Z broadcast as float32 and applied as θ ← θ − γ·f32(d)), so QLSD# with the
// identity compressor must reproduce it bit for bit — what that proves is that the message path
// (envelopes, encode/decode, stream bookkeeping, summation order, the noise hook) adds nothing.
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import { NO_BITS, type Chain, type SamplingAlgorithm } from "./chain.js";
import { checkInit } from "./federated.js";
import { clientPotential, checkModel, type BayesModel } from "./model.js";
import { minibatchStream, noiseStream } from "./streams.js";

export interface SgldParams { stepSize: number; batchSize: number }

export function sgld(model: BayesModel, p: SgldParams): SamplingAlgorithm {
  checkModel("sgld", model);
  if (!isPlainObject(p)) throw new FedquantError("E_CONFIG", `sgld: parameters must be an object, got ${describeValue(p)}`);
  const gamma = p.stepSize, batch = p.batchSize;
  if (!(typeof gamma === "number" && gamma > 0 && Number.isFinite(gamma))) throw new FedquantError("E_CONFIG", `sgld: stepSize must be a finite number > 0, got ${describeValue(gamma)}`);
  const minN = Math.min(...model.clients.map((c) => c.n));
  if (!(Number.isInteger(batch) && batch >= 1 && batch <= minN)) throw new FedquantError("E_CONFIG", `sgld: batchSize must be an integer in 1..${minN}, got ${describeValue(batch)}`);
  const d = model.dim;
  const potentials = model.clients.map((_, i) => clientPotential(model, i));
  return {
    name: "sgld",
    dim: d,
    init(options): Chain {
      const { seed, theta0 } = checkInit(d, options);
      let theta = Float64Array.from(theta0), round = 0;
      const g = new Float64Array(d), sum = new Float64Array(d), z = new Float32Array(d);
      const s = Math.sqrt(2 / gamma);
      return {
        name: "sgld", dim: d,
        get round() { return round; },
        get theta() { return theta; },
        bits: NO_BITS,
        step() {
          sum.fill(0);
          potentials.forEach((u, i) => {
            u.grad(theta, g, minibatchStream(seed, round, i).sampleWithoutReplacement(u.n, batch));
            for (let j = 0; j < d; j++) sum[j] += Math.fround(g[j]!);
          });
          kernel().fillNormal(noiseStream(seed, round), z);
          const next = new Float64Array(d);
          for (let j = 0; j < d; j++) next[j] = theta[j]! + -gamma * Math.fround(sum[j]! - s * z[j]!);
          theta = next;
          round++;
        },
        save: () => ({ round, theta: Float64Array.from(theta) }),
        load(s) {
          if (!(s.theta instanceof Float64Array && s.theta.length === d && typeof s.round === "number")) throw new FedquantError("E_STATE", "sgld: saved state is not { round, theta }");
          round = s.round; theta = Float64Array.from(s.theta);
        },
      };
    },
  };
}
