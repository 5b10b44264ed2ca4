// Hyper-parameters of the QLSD family (spec/langevin.md; QLSD, Vono et al. 2022, Algorithms 1–2)
// and their validation: every invalid setting is an E_CONFIG naming the field and the value.
import { describeValue, isPlainObject } from "../describe.js";
import { createCompressor } from "../compressors/registry.js";
import type { Compressor } from "../compressors/compressor.js";
import { FedquantError } from "../errors.js";
import { checkModel, type BayesModel } from "./model.js";

/**
 * lsd    full local gradients, uncompressed by default (Euler–Maruyama of the Langevin diffusion)
 * sgld   minibatch gradients, uncompressed (identity compressor: float32 on the wire)
 * qlsd#  minibatch gradients, compressed: g = C(ĝ_i(θ))
 * qlsd*  control variates at the mode θ*: g = C(ĝ_i(θ) − ĝ_i(θ*)) (same minibatch for both)
 * qlsd++ SVRG control variates refreshed every ℓ steps + DIANA memory (α = 1/(1+ω) by default)
 */
export type SamplerAlgorithm = "lsd" | "sgld" | "qlsd#" | "qlsd*" | "qlsd++";
export const SAMPLER_ALGORITHMS: readonly SamplerAlgorithm[] = ["lsd", "sgld", "qlsd#", "qlsd*", "qlsd++"];

export interface SamplerParams {
  algorithm: SamplerAlgorithm;
  /** γ: the Euler–Maruyama step */
  stepSize: number;
  /** |S|, rows per client per step; omitted = the full local gradient (required for lsd) */
  batchSize?: number;
  /** unbiased compressor C (default: identity, i.e. float32 on the wire) */
  compressor?: Compressor;
  /** ℓ: qlsd++ refreshes its reference point ζ every ℓ steps (default 100, E4's value) */
  refresh?: number;
  /** qlsd++ memory terms η^i (default true); false is "QLSD++ without memory" (α = 0) */
  memory?: boolean;
  /** memory step α ≤ 1/(1+ω) (default 1/(1+ω), ω = compressor.omega(d)) */
  alpha?: number;
  /** m: clients drawn uniformly without replacement per step (default b, all) */
  participation?: number;
  /** θ* = argmin U for qlsd* (see mode.ts findMode) */
  thetaStar?: Float64Array;
}

export type ControlVariate = "none" | "mode" | "svrg";

/** The validated, defaulted form every client and server works from. */
export interface ResolvedParams {
  readonly algorithm: SamplerAlgorithm;
  readonly stepSize: number;
  /** 0 = full local gradient */
  readonly batchSize: number;
  readonly compressor: Compressor;
  readonly controlVariate: ControlVariate;
  /** ℓ (svrg only; 0 otherwise) */
  readonly refresh: number;
  /** memory step, 0 = no memory */
  readonly alpha: number;
  readonly participation: number;
  readonly clients: number;
  readonly dim: number;
  readonly thetaStar?: Float64Array;
}

function cfg(message: string): never { throw new FedquantError("E_CONFIG", message); }

export function resolveParams(model: BayesModel, p: SamplerParams): ResolvedParams {
  if (!isPlainObject(p)) cfg(`sampler parameters must be an object, got ${describeValue(p)}`);
  checkModel("sampler", model);
  const algorithm = p.algorithm;
  if (!SAMPLER_ALGORITHMS.includes(algorithm)) cfg(`unknown sampler algorithm "${String(algorithm)}": algorithm must be one of ${SAMPLER_ALGORITHMS.map((a) => `"${a}"`).join(", ")}, got ${describeValue(algorithm)}`);
  const b = model.clients.length, d = model.dim;
  const gamma = p.stepSize;
  if (typeof gamma !== "number" || !(gamma > 0 && Number.isFinite(gamma))) cfg(`${algorithm}: stepSize must be a finite number > 0, got ${describeValue(gamma)}`);

  let batch = 0;
  if (p.batchSize !== undefined) {
    if (algorithm === "lsd") cfg(`lsd uses full local gradients; got batchSize ${describeValue(p.batchSize)} (use sgld or qlsd# for minibatches)`);
    const minN = Math.min(...model.clients.map((c) => c.n));
    if (!(Number.isInteger(p.batchSize) && p.batchSize >= 1 && p.batchSize <= minN)) {
      cfg(`${algorithm}: batchSize must be an integer in 1..${minN} (the smallest client's N_i), got ${describeValue(p.batchSize)}`);
    }
    batch = p.batchSize;
  } else if (algorithm === "sgld") cfg("sgld needs a batchSize (rows per client per step)");

  const compressor = p.compressor === undefined ? createCompressor("identity") : p.compressor;
  if (!isPlainObject(compressor) || typeof compressor.encode !== "function") cfg(`${algorithm}: compressor must be a Compressor (createCompressor(name, params)), got ${describeValue(compressor)}`);
  if (!compressor.unbiased) cfg(`${algorithm}: the compressor "${compressor.name}" is biased; QLSD needs an unbiased compressor (spec/langevin.md)`);
  if (algorithm === "sgld" && compressor.name !== "identity") cfg(`sgld is uncompressed; got compressor "${compressor.name}" (use qlsd# to compress minibatch gradients)`);

  const controlVariate: ControlVariate = algorithm === "qlsd*" ? "mode" : algorithm === "qlsd++" ? "svrg" : "none";
  let refresh = 0;
  if (controlVariate === "svrg") {
    refresh = p.refresh === undefined ? 100 : p.refresh;
    if (!(Number.isInteger(refresh) && refresh >= 1)) cfg(`qlsd++: refresh (ℓ) must be an integer ≥ 1, got ${describeValue(p.refresh)}`);
  } else if (p.refresh !== undefined) cfg(`${algorithm}: refresh (ℓ) applies to qlsd++ only`);

  let alpha = 0;
  const omega = compressor.omega(d);
  if (algorithm === "qlsd++") {
    const memory = p.memory === undefined ? true : p.memory;
    if (typeof memory !== "boolean") cfg(`qlsd++: memory must be true or false, got ${describeValue(p.memory)}`);
    if (memory) {
      const bound = 1 / (1 + omega);
      alpha = p.alpha === undefined ? bound : p.alpha;
      if (!(typeof alpha === "number" && alpha > 0 && alpha <= bound * (1 + 1e-12))) {
        cfg(`qlsd++: alpha must be in (0, 1/(1+ω)] = (0, ${bound}] for ${compressor.name} with ω = ${omega} at d = ${d}, got ${describeValue(p.alpha)}`);
      }
    } else if (p.alpha !== undefined) cfg("qlsd++: alpha is set but memory is false");
  } else if (p.memory !== undefined || p.alpha !== undefined) {
    cfg(`${algorithm}: memory/alpha apply to qlsd++ only`);
  }

  const m = p.participation === undefined ? b : p.participation;
  if (!(Number.isInteger(m) && m >= 1 && m <= b)) cfg(`${algorithm}: participation (m) must be an integer in 1..${b}, got ${describeValue(p.participation)}`);

  let thetaStar: Float64Array | undefined;
  if (algorithm === "qlsd*") {
    if (!(p.thetaStar instanceof Float64Array)) cfg("qlsd* needs thetaStar (a Float64Array: the mode θ*, e.g. from findMode)");
    if (p.thetaStar.length !== d) throw new FedquantError("E_DIM", `qlsd*: thetaStar has length ${p.thetaStar.length}, the model has d = ${d}`);
    if (p.thetaStar.some((v) => !Number.isFinite(v))) throw new FedquantError("E_INPUT", "qlsd*: thetaStar has a non-finite entry");
    thetaStar = Float64Array.from(p.thetaStar);
  } else if (p.thetaStar !== undefined) cfg(`${algorithm}: thetaStar applies to qlsd* only`);

  return { algorithm, stepSize: gamma, batchSize: batch, compressor, controlVariate, refresh, alpha, participation: m, clients: b, dim: d, thetaStar };
}
