// The JSON configs of `fedquant sample` (examples/e4-*.json; spec/experiments.md E4), validated with
// zod so that every mistake is an E_CONFIG naming the field, what was expected and what was found.
// A config may carry a "quick" object: with --quick it is merged over the config (objects key by
// key, arrays and numbers replaced) and the result is validated again — CI runs that variant.
import { formatIssues } from "./config-issues.js";
import { z } from "zod";
import { FedquantError } from "../errors.js";

// Size bounds (issue #14): an absurd size is an E_CONFIG naming the limit before any allocation,
// never a RangeError from a typed array or a silent climb toward tens of GB. The data held in
// memory (clients × perClient × dim f64 values) is bounded separately in parseE4Config.
const MAX_CLIENTS = 10_000;
const MAX_DIM = 100_000;
const MAX_PER_CLIENT = 1_000_000;
const MAX_STEPS = 100_000_000;
/** at most 2^27 f64 values of data in memory (1 GiB) */
export const MAX_DATA_VALUES = 2 ** 27;
/** at most 16 GiB of samples written to disk per run */
export const MAX_SAMPLE_BYTES = 2 ** 34;

const Compressor = z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }).strict();

/** One sampler of a comparison. Compressed algorithms run once per entry of `compressors` unless they name their own. */
const SamplerEntry = z.object({
  algorithm: z.enum(["lsd", "sgld", "qlsd#", "qlsd*", "qlsd++"]),
  label: z.string().min(1).optional(),
  compressor: Compressor.optional(),
  stepSize: z.number().positive().optional(),
  batchSize: z.number().int().min(1).optional(),
  refresh: z.number().int().min(1).optional(),
  memory: z.boolean().optional(),
  alpha: z.number().positive().max(1).optional(),
  participation: z.number().int().min(1).optional(),
}).strict();

/** Where chain c starts: θ_0 = base + jitter · N(0, I) (jitter drawn from the chain's init stream). */
const Init = z.object({
  from: z.enum(["zero", "mode", "sgd"]),
  jitter: z.number().min(0).default(0),
}).strict();

/** What every E4 experiment shares: seeds, chain lengths, checkpoints, the samplers to compare. */
const Common = {
  seed: z.number().int().min(0).default(1),
  description: z.string().optional(),
  /** γ of every sampler unless an entry overrides it */
  stepSize: z.number().positive(),
  batchSize: z.number().int().min(1),
  refresh: z.number().int().min(1).default(100),
  compressors: z.array(Compressor).min(1),
  samplers: z.array(SamplerEntry).min(1),
  samples: z.number().int().min(2).max(MAX_STEPS),
  burnIn: z.number().int().min(0).max(MAX_STEPS).default(0),
  thin: z.number().int().min(1).default(1),
  chains: z.number().int().min(1).max(64).default(2),
  init: Init,
  /** a trace point every `traceEvery` kept samples */
  traceEvery: z.number().int().min(1).default(10),
  checkpointEvery: z.number().int().min(1).default(500),
  dtype: z.enum(["float64", "float32"]).default("float64"),
  /** ESS / R̂ on at most this many coordinates (the first ones; e4-bnn: the output layer's) */
  diagnosticCoordinates: z.number().int().min(1).default(100),
};

const Gaussian = z.object({
  experiment: z.literal("e4-gaussian"),
  data: z.object({
    clients: z.number().int().min(1).max(MAX_CLIENTS).default(20),
    dim: z.number().int().min(1).max(MAX_DIM).default(50),
    perClient: z.number().int().min(1).max(MAX_PER_CLIENT).default(200),
    spread: z.number().min(0).default(5),
  }).strict(),
  ...Common,
}).strict();

const Logistic = z.object({
  experiment: z.literal("e4-logistic"),
  data: z.object({
    /**
     * "shifted": syntheticLogisticBayes — client-specific feature means, one shared label model, so
     *   every ∇U_i(θ*) is small (noise only) and memory has little to remove;
     * "opposite": syntheticHeterogeneousLogistic (Artemis' toy, d = 2) — two client types with
     *   opposite feature signs, ∇U_i(θ*) far from 0: the case the memory terms are for.
     */
    kind: z.enum(["shifted", "opposite"]).default("shifted"),
    clients: z.number().int().min(1).max(MAX_CLIENTS).default(50),
    dim: z.number().int().min(1).max(MAX_DIM).default(2),
    perClient: z.number().int().min(1).max(MAX_PER_CLIENT).default(200),
  }).strict(),
  priorVariance: z.number().positive(),
  /**
   * θ* for QLSD* (and init.from "mode"): "federated" = federated full-batch gradient descent on U/N
   * (the algorithms' "sgd", γ = 1/max_i L_i, uncompressed) for `rounds` rounds; "full-batch" = findMode
   * on the pooled data (the fallback the spec allows)
   */
  mode: z.object({
    optimizer: z.enum(["federated", "full-batch"]).default("full-batch"),
    rounds: z.number().int().min(1).max(MAX_STEPS).default(500),
  }).strict().default({ optimizer: "full-batch", rounds: 500 }),
  /** the long full-data MALA chain that serves as the reference posterior */
  reference: z.object({
    samples: z.number().int().min(10).max(MAX_STEPS),
    burnIn: z.number().int().min(0).max(MAX_STEPS),
    thin: z.number().int().min(1).default(1),
    adapt: z.number().int().min(0),
    stepSize: z.number().positive(),
  }).strict(),
  ...Common,
}).strict();

const Bnn = z.object({
  experiment: z.literal("e4-bnn"),
  data: z.object({
    /** digits of the mnist package used (≤ 10,000), the last `test` of them held out */
    count: z.number().int().min(20).max(10_000).default(10_000),
    test: z.number().int().min(10),
    clients: z.number().int().min(1).max(MAX_CLIENTS).default(100),
    /** each client holds this many digit classes (non-i.i.d.); 10 = every class */
    labelsPerClient: z.number().int().min(1).max(10).default(2),
  }).strict(),
  model: z.object({
    hidden: z.number().int().min(1).max(4096),
    activation: z.enum(["tanh", "relu"]).default("tanh"),
  }).strict(),
  priorVariance: z.number().positive(),
  /** the non-Bayesian baseline, also the chains' starting point: federated SGD on U/N */
  sgd: z.object({
    stepSize: z.number().positive(),
    batchSize: z.number().int().min(1),
    rounds: z.number().int().min(1).max(MAX_STEPS),
  }).strict(),
  calibrationBins: z.number().int().min(2).max(50).default(10),
  ...Common,
}).strict();

export const E4ConfigSchema = z.discriminatedUnion("experiment", [Gaussian, Logistic, Bnn]);
export type E4Config = z.infer<typeof E4ConfigSchema>;
export type GaussianConfig = z.infer<typeof Gaussian>;
export type LogisticConfig = z.infer<typeof Logistic>;
export type BnnConfig = z.infer<typeof Bnn>;
export type SamplerEntryConfig = z.infer<typeof SamplerEntry>;
export type CompressorConfig = z.infer<typeof Compressor>;
export type E4Common = Pick<E4Config, keyof typeof Common>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** b over a: objects merged key by key, everything else replaced. */
export function mergeOver(a: unknown, b: unknown): unknown {
  if (!isObject(a) || !isObject(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? mergeOver(a[k], v) : v;
  return out;
}

export function parseE4Config(json: unknown, options: { quick?: boolean; source?: string } = {}): E4Config {
  const source = options.source ?? "config";
  if (!isObject(json)) throw new FedquantError("E_CONFIG", `${source} must be a JSON object, found ${Array.isArray(json) ? "an array" : typeof json}`);
  const { quick, ...rest } = json;
  if (quick !== undefined && !isObject(quick)) throw new FedquantError("E_CONFIG", `${source}: "quick" must be an object of overrides`);
  if (options.quick && quick === undefined) throw new FedquantError("E_CONFIG", `${source} has no "quick" section: --quick needs one`);
  const merged = options.quick ? mergeOver(rest, quick) : rest;
  const r = E4ConfigSchema.safeParse(merged);
  if (!r.success) {
    const issues = formatIssues(r.error.issues, merged);
    throw new FedquantError("E_CONFIG", `${source}${options.quick ? " (with its quick overrides)" : ""} is not a valid E4 config:\n${issues}`);
  }
  const cfg = r.data;
  checkSizes(cfg, source);
  // traces are what the report plots: with fewer kept samples than one trace step every chart is
  // empty, and the run would only fail at the report, after all the sampling
  if (cfg.traceEvery > cfg.samples) throw new FedquantError("E_CONFIG", `${source}: traceEvery (${cfg.traceEvery}) must be at most samples (${cfg.samples}), or the traces have no point`);
  if (cfg.experiment === "e4-bnn" && cfg.data.test >= cfg.data.count) throw new FedquantError("E_CONFIG", `${source}: data.test (${cfg.data.test}) must be smaller than data.count (${cfg.data.count})`);
  if (cfg.experiment === "e4-logistic" && cfg.data.kind === "opposite" && cfg.data.dim !== 2) throw new FedquantError("E_CONFIG", `${source}: data.kind "opposite" is two-dimensional; data.dim must be 2, got ${cfg.data.dim}`);
  if (cfg.experiment !== "e4-bnn" && cfg.init.from === "sgd") throw new FedquantError("E_CONFIG", `${source}: init.from "sgd" is for e4-bnn; use "zero" or "mode"`);
  if (cfg.experiment === "e4-bnn" && cfg.init.from === "mode") throw new FedquantError("E_CONFIG", `${source}: init.from "mode" needs a log-concave posterior; for e4-bnn use "sgd" or "zero"`);
  return cfg;
}

/** The bounds no single field shows: the data in memory and the samples on disk. */
function checkSizes(cfg: E4Config, source: string): void {
  if (cfg.experiment !== "e4-bnn") {
    const { clients, perClient, dim } = cfg.data;
    const values = clients * perClient * dim;
    if (values > MAX_DATA_VALUES) {
      throw new FedquantError("E_CONFIG", `${source}: data.clients × data.perClient × data.dim = ${values.toExponential(3)} values; at most 2^27 = ${MAX_DATA_VALUES} (1 GiB of f64) are held in memory`);
    }
  }
  const dim = cfg.experiment === "e4-bnn" ? (784 + 1) * cfg.model.hidden + (cfg.model.hidden + 1) * 10 : cfg.data.dim;
  const bytes = Math.ceil(cfg.samples / cfg.thin) * cfg.chains * dim * (cfg.dtype === "float32" ? 4 : 8) * cfg.samplers.length * cfg.compressors.length;
  if (bytes > MAX_SAMPLE_BYTES) {
    throw new FedquantError("E_CONFIG", `${source}: samples / thin × chains × dimension × samplers × compressors would write ${(bytes / 2 ** 30).toFixed(1)} GiB of samples; at most 16 GiB (raise thin or lower samples)`);
  }
}
