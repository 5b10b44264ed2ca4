// Synthetic logistic-regression data: the library's own strongly heterogeneous toy in the spirit
// of Artemis' "synthetic LR" (Philippenko & Dieuleveut 2020, §5) — NOT the authors' generator,
// which is syntheticHeterogeneousLogisticAuthors (synthetic-logistic-authors.ts, E3's default) —
// and E4's Bayesian logistic regression clients (QLSD, Vono et al. 2022, §5).
import { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { positiveInt } from "./dataset.js";
import { DataTag } from "./streams.js";
import { toeplitzGaussian } from "./synthetic-lsr.js";

/** σ(t) without overflow (a local twin of models' sigmoid: data imports no model code). */
function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

export interface HeterogeneousLogisticOptions {
  workers?: number;
  perWorker?: number;
  seed: number | bigint;
}

export interface HeterogeneousLogistic {
  workers: Dataset[];
  /** the label model of type-B workers; type-A workers use (w_0, −w_1) */
  wTrue: Float64Array;
  /** 0 = type A (even worker index), 1 = type B (odd) */
  typeOfWorker: Uint8Array;
}

/**
 * The library's variant of the Artemis toy LR problem ("independent" in run configs), d = 2, no
 * bias: z ~ N(0, Toeplitz(0.6^|i−j|)), w = (−1, e^(−0.1)) (the first two coordinates of the
 * authors' generate_param, which their code uses for least squares, not here). Two worker types,
 * alternating:
 *  - type A (even index): features x = (−z_0, z_1) — feature 0 has the opposite sign — and labels
 *    from the flipped model, P(y = +1 | x) = σ(xᵀ(w_0, −w_1)) = σ(−zᵀw);
 *  - type B (odd index): x = z, P(y = +1 | x) = σ(xᵀw).
 * The two types' local optima differ in sign on coordinate 1, so at the federated optimum w*
 * every ∇F_i(w*) is far from 0 while their mean is 0: strong heterogeneity, the case where
 * memory (α ≠ 0) is needed for linear convergence. It differs from the authors' generator in two
 * ways: every worker draws its own z (theirs reseed per device, so all devices share z), and w is
 * small (theirs is (10, 10): nearly deterministic labels).
 */
export function syntheticHeterogeneousLogistic(options: HeterogeneousLogisticOptions): HeterogeneousLogistic {
  const W = positiveInt("syntheticHeterogeneousLogistic: workers", options.workers ?? 20);
  const m = positiveInt("syntheticHeterogeneousLogistic: perWorker", options.perWorker ?? 200);
  const typeOfWorker = new Uint8Array(W);
  const workers: Dataset[] = [];
  for (let i = 0; i < W; i++) {
    typeOfWorker[i] = i % 2 === 0 ? 0 : 1;
    workers.push(heterogeneousLogisticWorker(options.seed, i, m));
  }
  return { workers, wTrue: Float64Array.of(-1, Math.exp(-0.1)), typeOfWorker };
}

/**
 * Worker i's shard of syntheticHeterogeneousLogistic alone (it draws only from worker i's
 * streams), so a federated client builds its own data without the others' (docs/network.md).
 */
export function heterogeneousLogisticWorker(seed: number | bigint, i: number, perWorker: number): Dataset {
  const m = positiveInt("heterogeneousLogisticWorker: perWorker", perWorker);
  const w0 = -1, w1 = Math.exp(-0.1);
  const typeA = i % 2 === 0;
  const z = RandomStream.of(seed, "data", DataTag.heterogeneousLogistic, i).normals(2 * m);
  const u = RandomStream.of(seed, "data", DataTag.heterogeneousLogistic + 1, i).uniforms(m);
  const X = new Float64Array(2 * m), y = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    toeplitzGaussian(X, 2 * r, z, 2 * r, 2, 0.6);
    const margin = X[2 * r]! * w0 + X[2 * r + 1]! * w1; // zᵀw
    if (typeA) X[2 * r] = -X[2 * r]!;
    y[r] = u[r]! < sigmoid(typeA ? -margin : margin) ? 1 : -1;
  }
  return { n: m, p: 2, X, y };
}

export interface LogisticBayesOptions {
  clients?: number;
  dim?: number;
  perClient?: number;
  seed: number | bigint;
}

export interface LogisticBayes {
  clients: Dataset[];
  /** the parameter the labels were drawn from */
  thetaTrue: Float64Array;
  /** client i's feature mean m_i (the source of heterogeneity) */
  clientMeans: Float64Array[];
}

/**
 * E4 Bayesian logistic regression (b = 50 clients, d = 2, N = 200 per client; the spec leaves the
 * generator open, this is our choice): θ_true ~ N(0, I_d); client i has a feature mean
 * m_i ~ N(0, I_d) and features x_ij ~ N(m_i, I_d) (covariate shift: heterogeneous clients that
 * share one likelihood); labels ±1 with P(y = +1) = σ(x_ijᵀθ_true). No bias column.
 */
export function syntheticLogisticBayes(options: LogisticBayesOptions): LogisticBayes {
  const b = positiveInt("syntheticLogisticBayes: clients", options.clients ?? 50);
  const d = positiveInt("syntheticLogisticBayes: dim", options.dim ?? 2);
  const m = positiveInt("syntheticLogisticBayes: perClient", options.perClient ?? 200);
  const seed = options.seed;
  const thetaTrue = Float64Array.from(RandomStream.of(seed, "data", DataTag.logisticBayes, 0).normals(d));
  const means = RandomStream.of(seed, "data", DataTag.logisticBayes + 1, 0).normals(b * d);
  const clients: Dataset[] = [], clientMeans: Float64Array[] = [];
  for (let i = 0; i < b; i++) {
    const mu = Float64Array.from(means.subarray(i * d, i * d + d));
    const z = RandomStream.of(seed, "data", DataTag.logisticBayes + 2, i).normals(m * d);
    const u = RandomStream.of(seed, "data", DataTag.logisticBayes + 3, i).uniforms(m);
    const X = new Float64Array(m * d), y = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let t = 0;
      for (let j = 0; j < d; j++) { const x = mu[j]! + z[r * d + j]!; X[r * d + j] = x; t += x * thetaTrue[j]!; }
      y[r] = u[r]! < sigmoid(t) ? 1 : -1;
    }
    clients.push({ n: m, p: d, X, y });
    clientMeans.push(mu);
  }
  return { clients, thetaTrue, clientMeans };
}
