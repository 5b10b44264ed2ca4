// Dist-EF-SGD (Zheng, Huang, Kwok 2019, "Communication-Efficient Distributed Blockwise Momentum
// SGD with Error-Feedback", NeurIPS, Algorithm 1 without momentum; the error feedback of
// Karimireddy et al. 2019, "Error Feedback Fixes SignSGD and other Gradient Compression Schemes"):
//   worker i: p^i = γ g^i + e^i,  Δ^i = C(p^i),  e^i ← p^i − Δ^i,  send Δ^i
//   server:   p̃ = (1/M) Σ Δ^i + ẽ,  Δ̃ = C(p̃),  ẽ ← p̃ − Δ̃,  send Δ̃
//   all:      x ← x − Δ̃.
// DoubleSqueeze's machine (double-squeeze.ts) with γ inside the compressed quantities: they are
// steps, so the default is the paper's scaled sign (biased, 1 bit per coordinate; its `bucket` is
// their blockwise variant), and the server hook sees the aggregated step (gamma = 1).
import { SIGN } from "./config.js";
import { DoubleSqueezeClient, DoubleSqueezeServer } from "./double-squeeze.js";
import type { AlgorithmSpec } from "./spec.js";

export class EfSgdServer extends DoubleSqueezeServer {
  protected override readonly errorKey = "e";
  /** the uplinks are already steps γg */
  protected override stepSize(): number { return 1; }
}

export class EfSgdClient extends DoubleSqueezeClient {
  protected override readonly errorKey = "e";
  protected override gradientScale(): number { return this.ctx.gamma; }
  protected override stepSize(): number { return 1; }
}

export const efSgd: AlgorithmSpec = {
  name: "ef-sgd",
  id: 11,
  summary: "Dist-EF-SGD: error feedback both ways on γ-scaled steps, scaled sign by default (Zheng et al. 2019; Karimireddy et al. 2019)",
  rules: { keys: ["up", "down"], upDefault: SIGN, downDefault: SIGN },
  upMemory: false,
  downMemory: false,
  Server: EfSgdServer,
  Client: EfSgdClient,
};
