// E4's toy Gaussian posterior (spec/experiments.md E4; QLSD, Vono et al. 2022, §5): heterogeneous
// client means, unit-variance observations, and the exact posterior under a flat prior.
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { positiveInt } from "./dataset.js";
import { DataTag } from "./streams.js";

export interface GaussianToyOptions {
  clients?: number;
  dim?: number;
  perClient?: number;
  /** standard deviation of the client means (default 5) */
  spread?: number;
  seed: number | bigint;
}

export interface GaussianToy {
  /** client i: X = its observations y_ij as rows (perClient × dim); y unused (zeros) */
  clients: Dataset[];
  /** the client means μ_i */
  means: Float64Array[];
  /** exact posterior mean ȳ = the mean of all N_total observations */
  posteriorMean: Float64Array;
  /** exact posterior variance of each coordinate, 1/N_total (covariance I/N_total) */
  posteriorVariance: number;
}

/**
 * μ_i ~ N(0, spread² I), y_ij ~ N(μ_i, I). With likelihood Π N(y_ij; θ, I) and a flat prior the
 * posterior is N(ȳ, I/N_total) exactly — the reference every sampler is measured against.
 */
export function gaussianToy(options: GaussianToyOptions): GaussianToy {
  const b = positiveInt("gaussianToy: clients", options.clients ?? 20);
  const d = positiveInt("gaussianToy: dim", options.dim ?? 50);
  const m = positiveInt("gaussianToy: perClient", options.perClient ?? 200);
  const spread = options.spread ?? 5;
  if (!(spread >= 0 && Number.isFinite(spread))) throw new FedquantError("E_CONFIG", `gaussianToy: spread must be ≥ 0, got ${spread}`);
  const mz = RandomStream.of(options.seed, "data", DataTag.gaussianToy, 0).normals(b * d);
  const clients: Dataset[] = [], means: Float64Array[] = [];
  const sum = new Float64Array(d);
  for (let i = 0; i < b; i++) {
    const mu = new Float64Array(d);
    for (let j = 0; j < d; j++) mu[j] = spread * mz[i * d + j]!;
    const z = RandomStream.of(options.seed, "data", DataTag.gaussianToy + 1, i).normals(m * d);
    const X = new Float64Array(m * d);
    for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) {
      const v = mu[j]! + z[r * d + j]!;
      X[r * d + j] = v;
      sum[j] += v;
    }
    clients.push({ n: m, p: d, X, y: new Float64Array(m) });
    means.push(mu);
  }
  const N = b * m;
  const posteriorMean = sum.map((s) => s / N);
  return { clients, means, posteriorMean, posteriorVariance: 1 / N };
}
