// The JSON config of `fedquant run` (examples/*.json), validated with zod so that every mistake
// is an E_CONFIG naming the field, what was expected and what was found.
import { z } from "zod";
import { FedquantError } from "../errors.js";
import { formatIssues } from "./config-issues.js";
import { ProblemSchema } from "./problems.js";

const Compressor = z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }).strict();

/** γ as a number or as a multiple of 1/L ("1/L", "1/(2L)", { "timesOneOverL": 0.5 }). */
const Gamma = z.union([
  z.number().positive(),
  z.enum(["1/L", "1/(2L)", "1/(4L)"]),
  z.object({ timesOneOverL: z.number().positive() }).strict(),
], { error: 'expected γ as a number > 0, "1/L", "1/(2L)", "1/(4L)" or { "timesOneOverL": <number > 0> }' });

/** α as a number or "auto" = 1/(2(ω+1)) of the compressor it goes with (spec/optimization.md). */
const Rate = z.union([z.number().min(0).max(1), z.literal("auto")], { error: 'expected a number in [0, 1] or "auto" (= 1/(2(ω+1)) of its compressor)' });

const AlgorithmEntry = z.object({
  name: z.string(),
  label: z.string().optional(),
  up: Compressor.optional(),
  down: Compressor.optional(),
  alpha: Rate.optional(),
  alphaDown: Rate.optional(),
  gamma: Gamma.optional(),
  serverMemory: z.enum(["all-workers", "active-workers"]).optional(),
  beta: z.number().positive().optional(),
  eta: z.number().positive().optional(),
  /** where the uplink memories start (docs/algorithms.md "Conventions"): "zero" or the authors' "first-gradient" */
  memoryInit: z.enum(["zero", "first-gradient"]).optional(),
}).strict();

export const RunConfigSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only (it names the output files)"),
  description: z.string().optional(),
  problem: ProblemSchema,
  iterations: z.number().int().min(1).max(10_000_000),
  /** "full" = full local gradients; a number = minibatch size per worker */
  batch: z.union([z.literal("full"), z.number().int().min(1)], { error: 'expected "full" (full local gradients) or a minibatch size (an integer ≥ 1)' }).default("full"),
  gamma: Gamma.default("1/L"),
  /** probability that a worker takes part in a round (Artemis partial participation) */
  participation: z.number().gt(0).max(1).default(1),
  /** redraw a round in which no worker was drawn (the Artemis/MCM authors' convention) */
  redrawEmpty: z.boolean().optional(),
  seed: z.number().int().min(0).default(1),
  /** average of n runs per algorithm, seeds seed … seed + n − 1 (run-average.ts; the papers average 5) */
  runs: z.number().int().min(1).max(100).default(1),
  /** defaults for every algorithm entry */
  up: Compressor.default({ name: "qsgd", params: { s: 1 } }),
  down: Compressor.default({ name: "qsgd", params: { s: 1 } }),
  algorithms: z.array(AlgorithmEntry).min(1),
  /** evaluate F every `evalEvery` iterations (F costs a full pass); default: the simulator's ⌈iterations / 200⌉ */
  evalEvery: z.number().int().min(1).optional(),
  /** excess-loss threshold for the "bits to reach" column */
  target: z.number().positive().default(1e-4),
}).strict();

export type RunConfig = z.infer<typeof RunConfigSchema>;
export type AlgorithmEntry = z.infer<typeof AlgorithmEntry>;
export type GammaSpec = z.infer<typeof Gamma>;

export function parseRunConfig(json: unknown, source = "config"): RunConfig {
  const r = RunConfigSchema.safeParse(json);
  if (!r.success) {
    throw new FedquantError("E_CONFIG", `${source} is not a valid run config:\n${formatIssues(r.error.issues, json)}`);
  }
  // labels name the curves, table rows and result keys: a repeat would only fail at the report,
  // after every algorithm has run
  const seen = new Set<string>();
  for (const [i, a] of r.data.algorithms.entries()) {
    const label = a.label ?? a.name;
    if (seen.has(label)) throw new FedquantError("E_CONFIG", `${source}: algorithms.${i} repeats the label "${label}"; give each entry its own "label"`);
    seen.add(label);
  }
  return r.data;
}

export function resolveGamma(g: GammaSpec, L: number): number {
  if (typeof g === "number") return g;
  if (typeof g === "object") return g.timesOneOverL / L;
  return { "1/L": 1, "1/(2L)": 0.5, "1/(4L)": 0.25 }[g] / L;
}
