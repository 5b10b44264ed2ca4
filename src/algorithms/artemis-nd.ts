// Artemis-ND, "non-degraded" (Philippenko & Dieuleveut 2021, arXiv 2102.12528, the variant the
// MCM paper compares with; spec/optimization.md): Artemis where the server also keeps the exact
// model, w_k = w_{k−1} − γ ĝ_k, while it sends C_down(ĝ_k) as Artemis does and each worker
// moves its own view ŵ_k = ŵ_{k−1} − γ C_down(ĝ_k), where it computes its gradients (the
// authors' non_degraded flag). Returning workers replay the updates they missed. Artemis'
// parties (artemis.ts) with one change on the server: it moves along ĝ, not C_down(ĝ).
import { ArtemisClient, ArtemisServer } from "./artemis.js";
import { QSGD1 } from "./config.js";
import type { AlgorithmSpec } from "./spec.js";

export class ArtemisNdServer extends ArtemisServer {
  /** the server moves by the exact ĝ; the workers get C_down(ĝ) */
  protected override serverDirection(_sent: Float32Array, exact: Float64Array): ArrayLike<number> { return exact; }
}

export class ArtemisNdClient extends ArtemisClient {
  protected override readonly modelKey = "view";
  protected override readonly modelName = "client model view";
}

export const artemisNd: AlgorithmSpec = {
  name: "artemis-nd",
  id: 6,
  summary: "Artemis-ND: Artemis with an exact (non-degraded) central model (Philippenko & Dieuleveut 2021)",
  rules: { keys: ["up", "down", "alpha", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: false,
  Server: ArtemisNdServer,
  Client: ArtemisNdClient,
};
