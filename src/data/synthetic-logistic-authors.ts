// The Artemis/MCM authors' synthetic logistic problem (Philippenko & Dieuleveut 2020 §5 "synthetic
// LR" and 2021; their code: DataPreparation.build_data_logistic called from experiments_runner.py
// with w = (10, 10), n_dimensions = 2, with_seed = False), re-implemented from that description:
//  - features: z ~ N(0, Toeplitz(0.6^|i−j|)), and the SAME draws z_1..z_m on every device (their
//    code calls np.random.seed(0) before each device's draw);
//  - device i even: x = (−z_0, z_1) and labels from the model (w_0, −w_1), i.e. P(y = +1) = σ(−zᵀw);
//    device i odd: x = z and P(y = +1) = σ(zᵀw). Labels y ∈ {−1, +1}, drawn independently per
//    device (their torch.bernoulli is not reseeded), no bias column.
// So the devices differ only in the sign of feature 0 and the label model: strongly heterogeneous.
// The library's own variant (independent features per worker, w = (−1, e^−0.1)) is
// syntheticHeterogeneousLogistic in synthetic-logistic.ts.
import { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { positiveInt } from "./dataset.js";
import { DataTag } from "./streams.js";
import type { HeterogeneousLogistic, HeterogeneousLogisticOptions } from "./synthetic-logistic.js";
import { toeplitzGaussian } from "./synthetic-lsr.js";

/** The authors' true parameter (experiments_runner.py: w = torch.FloatTensor([10, 10])). */
export const AUTHORS_LOGISTIC_W = Object.freeze([10, 10] as const);

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

export function syntheticHeterogeneousLogisticAuthors(options: HeterogeneousLogisticOptions): HeterogeneousLogistic {
  const W = positiveInt("syntheticHeterogeneousLogisticAuthors: workers", options.workers ?? 20);
  const m = positiveInt("syntheticHeterogeneousLogisticAuthors: perWorker", options.perWorker ?? 200);
  const wTrue = Float64Array.from(AUTHORS_LOGISTIC_W);
  // one feature draw shared by every device (stream of worker 0 of the heterogeneous-logistic tag)
  const z = RandomStream.of(options.seed, "data", DataTag.heterogeneousLogistic, 0).normals(2 * m);
  const Z = new Float64Array(2 * m);
  for (let r = 0; r < m; r++) toeplitzGaussian(Z, 2 * r, z, 2 * r, 2, 0.6);
  const typeOfWorker = new Uint8Array(W);
  const workers: Dataset[] = [];
  for (let i = 0; i < W; i++) {
    const even = i % 2 === 0;
    typeOfWorker[i] = even ? 0 : 1;
    const u = RandomStream.of(options.seed, "data", DataTag.heterogeneousLogistic + 1, i).uniforms(m);
    const X = new Float64Array(2 * m), y = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      const z0 = Z[2 * r]!, z1 = Z[2 * r + 1]!;
      const margin = z0 * wTrue[0]! + z1 * wTrue[1]!; // zᵀw
      X[2 * r] = even ? -z0 : z0;
      X[2 * r + 1] = z1;
      y[r] = u[r]! < sigmoid(even ? -margin : margin) ? 1 : -1;
    }
    workers.push({ n: m, p: 2, X, y });
  }
  return { workers, wTrue, typeOfWorker };
}
