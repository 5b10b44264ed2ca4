// The federated Bayesian model of spec/langevin.md (QLSD, Vono et al. 2022, eq. (1)–(2)):
// π(θ | D) ∝ exp(−U(θ)), U = Σ_{i=1..b} U_i, U_i(θ) = Σ_j ℓ_ij(θ) + (1/b)(−log π_0(θ)).
// Each client owns its data; what it exposes to a sampler is a ClientPotential (its ∇U_i, exact
// or as the unbiased minibatch estimate (N_i/|S|) Σ_{j∈S} ∇ℓ_ij + (1/b)∇(−log π_0)).
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import type { Dataset, Objective } from "../models/types.js";
import type { Prior } from "./prior.js";

export interface BayesModel {
  /** parameter dimension d */
  readonly dim: number;
  /** minus log-likelihood per example: its lossSum / gradSum give Σ_j ℓ_ij and Σ_j ∇ℓ_ij */
  readonly likelihood: Objective;
  readonly prior: Prior;
  /** client i's data D_i (never leaves client i in a federated run) */
  readonly clients: readonly Dataset[];
  /** N = Σ_i N_i */
  readonly totalRows: number;
}

export interface BayesModelOptions {
  likelihood: Objective;
  prior: Prior;
  clients: readonly Dataset[];
}

/** A sampler's first argument must be what bayesModel returns (a wrong one is named, not a TypeError). */
export function checkModel(what: string, model: unknown): asserts model is BayesModel {
  if (!isPlainObject(model) || !Array.isArray(model.clients) || typeof model.dim !== "number") {
    throw new FedquantError("E_CONFIG", `${what}: model must be a BayesModel object (from bayesModel({ likelihood, prior, clients })), got ${describeValue(model)}`);
  }
}

export function bayesModel(options: BayesModelOptions): BayesModel {
  if (!isPlainObject(options)) throw new FedquantError("E_CONFIG", `bayesModel: options must be an object { likelihood, prior, clients }, got ${describeValue(options)}`);
  const { likelihood, prior, clients } = options;
  if (!likelihood || typeof likelihood.gradSum !== "function") throw new FedquantError("E_CONFIG", "bayesModel: likelihood must be an Objective with gradSum");
  if (!prior || typeof prior.addGrad !== "function") throw new FedquantError("E_CONFIG", "bayesModel: prior must be a Prior (flatPrior(), gaussianPrior(v))");
  if (!Array.isArray(clients) || clients.length === 0) throw new FedquantError("E_CONFIG", "bayesModel: at least one client dataset is needed");
  let total = 0;
  clients.forEach((d, i) => {
    if (d.n < 1) throw new FedquantError("E_DATA", `bayesModel: client ${i} has no rows`);
    if (d.X.length !== d.n * d.p || d.y.length !== d.n) throw new FedquantError("E_DIM", `bayesModel: client ${i}'s arrays do not match n = ${d.n}, p = ${d.p}`);
    total += d.n;
  });
  return { dim: likelihood.dim, likelihood, prior, clients, totalRows: total };
}

/** What a sampler client needs from its local data: ∇U_i, exact or minibatch-estimated. */
export interface ClientPotential {
  /** N_i */
  readonly n: number;
  readonly dim: number;
  /**
   * out = (N_i/|rows|) Σ_{j∈rows} ∇ℓ_ij(θ) + (1/b)∇(−log π_0)(θ), or the exact ∇U_i(θ) without rows.
   * The prior share is added exactly (it is deterministic, so subsampling it would only add noise).
   */
  grad(theta: Float64Array, out: Float64Array, rows?: ArrayLike<number>): Float64Array;
  /** U_i(θ) (for MALA and diagnostics). */
  potential(theta: Float64Array): number;
}

export function clientPotential(model: BayesModel, i: number): ClientPotential {
  const data = model.clients[i];
  if (data === undefined) throw new FedquantError("E_CONFIG", `clientPotential: no client ${i} (the model has ${model.clients.length})`);
  return dataPotential(model.likelihood, model.prior, data, model.clients.length);
}

/** U_i of one client's data among b clients: what a worker thread rebuilds without the whole model. */
export function dataPotential(likelihood: Objective, prior: Prior, data: Dataset, b: number): ClientPotential {
  const share = 1 / b;
  const lossSum = likelihood.lossSum;
  return {
    n: data.n,
    dim: likelihood.dim,
    grad(theta, out, rows) {
      likelihood.gradSum(theta, data, out, rows);
      if (rows !== undefined) {
        const c = data.n / rows.length;
        for (let j = 0; j < out.length; j++) out[j] = out[j]! * c;
      }
      return prior.addGrad(theta, out, share);
    },
    potential(theta) {
      if (!lossSum) throw new FedquantError("E_CONFIG", `the likelihood "${likelihood.name}" has no lossSum: the potential U_i is unavailable`);
      return lossSum(theta, data) + share * prior.potential(theta);
    },
  };
}

/** U(θ) = Σ_i Σ_j ℓ_ij(θ) − log π_0(θ). */
export function potential(model: BayesModel, theta: Float64Array): number {
  const lossSum = model.likelihood.lossSum;
  if (!lossSum) throw new FedquantError("E_CONFIG", `the likelihood "${model.likelihood.name}" has no lossSum: U is unavailable`);
  let u = model.prior.potential(theta);
  for (const d of model.clients) u += lossSum(theta, d);
  return u;
}

/** ∇U(θ) into out (summed client by client, in client order). */
export function potentialGrad(model: BayesModel, theta: Float64Array, out: Float64Array = new Float64Array(model.dim)): Float64Array {
  const g = new Float64Array(model.dim);
  out.fill(0);
  for (const d of model.clients) {
    model.likelihood.gradSum(theta, d, g);
    for (let j = 0; j < g.length; j++) out[j] += g[j]!;
  }
  return model.prior.addGrad(theta, out, 1);
}
