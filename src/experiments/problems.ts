// The optimisation problems of experiments.md E3 (and any LIBSVM file a user points at):
// builds the per-worker datasets, the objective, the smoothness constant L, and F* (cached).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { loadLibsvm, referenceDataset, splitIid, syntheticHeterogeneousLogistic, syntheticHeterogeneousLogisticAuthors, syntheticLsr, prependBias, standardize, makeDataset } from "../data/index.js";
import { leastSquares, logistic, referenceSmoothness, type Dataset, type Objective } from "../models/index.js";
import { buildLsrE2Problem } from "./e2-problem.js";
import { computeOptimum, optimumSolver, type Optimum } from "./optimum.js";

export const ProblemSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("synthetic-logistic"),
    workers: z.number().int().min(2).max(10_000).default(20),
    perWorker: z.number().int().min(1).max(1_000_000).default(200),
    seed: z.number().int().min(0).default(1),
    /** "authors": the Artemis/MCM code's generator (w = (10, 10), same features on every device);
     * "independent": the library's own (w = (−1, e^−0.1), features drawn per worker) */
    generator: z.enum(["authors", "independent"]).default("authors"),
  }).strict(),
  z.object({
    kind: z.literal("synthetic-lsr"),
    workers: z.number().int().min(1).max(10_000).default(20),
    perWorker: z.number().int().min(1).max(1_000_000).default(200),
    dim: z.number().int().min(2).max(10_000).default(20),
    seed: z.number().int().min(0).default(1),
  }).strict(),
  z.object({
    kind: z.literal("reference"),
    dataset: z.enum(["phishing", "a9a"]),
    split: z.enum(["noniid", "iid"]).default("noniid"),
    dataDir: z.string().default("../shared/data"),
  }).strict(),
  z.object({
    kind: z.literal("libsvm"),
    path: z.string(),
    workers: z.number().int().min(1).max(10_000).default(20),
  }).strict(),
  // E2 (spec/experiments.md): K workers × m rows drawn with replacement from n; defaults = full size
  z.object({
    kind: z.literal("lsr-e2"),
    n: z.number().int().min(2).max(1 << 24).default(2 ** 14),
    dim: z.number().int().min(1).max(1 << 16).default(2 ** 9),
    workers: z.number().int().min(1).max(10_000).default(32),
    perWorker: z.number().int().min(1).max(1 << 24).default(2 ** 11),
    seed: z.number().int().min(0).default(1),
    noiseStd: z.number().min(0).default(0.5),
  }).strict(),
]);
export type ProblemConfig = z.infer<typeof ProblemSchema>;

export interface Problem {
  description: string;
  objective: Objective;
  workers: Dataset[];
  /** smoothness constant used for γ = 1/L */
  L: number;
  optimum: Optimum;
}

export interface ProblemOptions { cacheDir?: string; log?: (msg: string) => void }

/** Build the problem and its optimum (cached under cacheDir by a hash of the config and data). */
export function buildProblem(cfg: ProblemConfig, opts: ProblemOptions = {}): Problem {
  // E2's exact optimum and spectrum come from its n base rows in seconds: nothing to cache
  if (cfg.kind === "lsr-e2") return buildLsrE2Problem(cfg);
  const { objective, workers, L, description } = buildData(cfg);
  const optimum = cachedOptimum(cfg, objective, workers, L, opts);
  return { description, objective, workers, L, optimum };
}

function buildData(cfg: Exclude<ProblemConfig, { kind: "lsr-e2" }>): Omit<Problem, "optimum"> {
  switch (cfg.kind) {
    case "synthetic-logistic": {
      const authors = cfg.generator === "authors";
      const { workers } = (authors ? syntheticHeterogeneousLogisticAuthors : syntheticHeterogeneousLogistic)(cfg);
      const objective = logistic({ p: 2 });
      const which = authors ? "the Artemis authors' generator, w = (10, 10), shared features" : "fedquant's independent-features variant, w = (−1, e^−0.1)";
      return { objective, workers, L: smoothnessOf(objective, workers), description: `synthetic heterogeneous logistic regression (${which}; d = 2, ${cfg.workers} workers × ${cfg.perWorker})` };
    }
    case "synthetic-lsr": {
      const { workers } = syntheticLsr(cfg);
      const objective = leastSquares({ p: cfg.dim });
      return { objective, workers, L: smoothnessOf(objective, workers), description: `synthetic least squares (d = ${cfg.dim}, Toeplitz 0.6^|i−j| features, ${cfg.workers} workers × ${cfg.perWorker})` };
    }
    case "reference": {
      const ref = referenceDataset(cfg.dataset, cfg.split, cfg.dataDir);
      return { objective: logistic({ p: ref.p }), workers: ref.workers, L: ref.L, description: `${cfg.dataset} (${cfg.split} split, 20 workers, reference preprocessing)` };
    }
    case "libsvm": {
      const raw = loadLibsvm(cfg.path);
      const st = standardize(raw.X, raw.n, raw.p);
      const y = raw.y.map((v) => (v > 0 ? 1 : -1));
      const data = prependBias(makeDataset(raw.n, raw.p, st.X, y));
      const workers = splitIid(data, cfg.workers);
      return { objective: logistic({ p: data.p }), workers, L: referenceSmoothness(workers), description: `${cfg.path} (logistic, i.i.d. split into ${cfg.workers})` };
    }
  }
}

/** L of F = (1/N) Σ F_i: the mean of the workers' constants bounds it (each F_i is L_i-smooth). */
function smoothnessOf(obj: Objective, workers: readonly Dataset[]): number {
  return workers.reduce((s, d) => s + obj.smoothness!(d), 0) / workers.length;
}

/** The F* cache entry's name: a hash of the config, the objective, the data and the solver. */
export function optimumCacheKey(cfg: ProblemConfig, obj: Objective, workers: readonly Dataset[], solver = optimumSolver(obj)): string {
  // the key names the solver too (optimum.ts optimumSolver: method, settings, version): a changed
  // solver must not reuse an entry computed by the old one
  const h = createHash("sha256").update(JSON.stringify(cfg)).update(obj.name).update(solver);
  for (const d of workers) { h.update(new Uint8Array(d.X.buffer, d.X.byteOffset, d.X.byteLength)); h.update(new Uint8Array(d.y.buffer, d.y.byteOffset, d.y.byteLength)); }
  return h.digest("hex").slice(0, 24);
}

function cachedOptimum(cfg: ProblemConfig, obj: Objective, workers: readonly Dataset[], L: number, opts: ProblemOptions): Optimum {
  const key = optimumCacheKey(cfg, obj, workers);
  const dir = opts.cacheDir ?? ".cache/fedquant-optimum";
  const file = join(dir, `${key}.json`);
  if (existsSync(file)) {
    try { return JSON.parse(readFileSync(file, "utf8")) as Optimum; } catch { /* recompute a corrupt cache entry */ }
  }
  opts.log?.(`computing F* for ${obj.name} (cached in ${file}) …`);
  const o = computeOptimum(obj, workers, { L });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(o));
  return o;
}
