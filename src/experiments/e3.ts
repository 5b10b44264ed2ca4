// Experiment E3 (experiments.md; Philippenko & Dieuleveut 2020, 2021): bidirectional compression
// on synthetic and real problems, N = 20 workers, s-quantization both ways (s = 1; s = 2 under
// partial participation), α_up = 1/(2(ω+1)), γ = 1/L, full batch (400 iterations) and stochastic
// (batch 50), full and partial (p = 0.5) participation. Each variant is an ordinary run config.
// The s-quantization is the papers' Definition 1, scaled by ‖x‖₂ (qsgd norm "l2"), as in the
// authors' convex experiments (SQuantization(s, dim, norm=2) in src/experiments_runner.py of
// philipco/artemis-bidirectional-compression and mcm-bidirectional-compression). The "-linf"
// variants scale by max|x_i| instead (our variant, not the papers'; smaller ω). At s = 1 in
// D ≥ 2 the ℓ2 quantizer has ω > 1, so DoubleSqueeze — error feedback around it, at γ = 1/L —
// diverges; the run records it (divergence.ts) and docs/experiments.md explains why.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RunConfig } from "./run-config.js";
import { parseRunConfig } from "./run-config.js";

export const E3_ALGORITHMS = [
  { name: "sgd", label: "SGD" },
  { name: "qsgd", label: "QSGD" },
  { name: "diana", label: "Diana" },
  { name: "biqsgd", label: "Bi-QSGD" },
  { name: "artemis", label: "Artemis" },
  { name: "dore", label: "DORE" }, // Liu et al. 2019, not the authors' "Dore" (docs/algorithms.md)
  { name: "double-squeeze", label: "DoubleSqueeze" },
  { name: "mcm", label: "MCM" },
  { name: "rand-mcm", label: "Rand-MCM" },
  { name: "artemis-nd", label: "Artemis-ND" },
] as const;

export const E3_PROBLEMS = {
  "synthetic-lsr": { kind: "synthetic-lsr", workers: 20, perWorker: 200, dim: 20, seed: 1 },
  // the authors' generator (build_data_logistic, w = (10, 10)); "-independent" is the library's own
  "synthetic-logistic": { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1, generator: "authors" },
  "synthetic-logistic-independent": { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1, generator: "independent" },
  "phishing-noniid": { kind: "reference", dataset: "phishing", split: "noniid" },
  "phishing-iid": { kind: "reference", dataset: "phishing", split: "iid" },
  "a9a-noniid": { kind: "reference", dataset: "a9a", split: "noniid" },
  "a9a-iid": { kind: "reference", dataset: "a9a", split: "iid" },
} as const;
export type E3Problem = keyof typeof E3_PROBLEMS;

export interface E3Variant { batch: "full" | number; participation: number; norm: "l2" | "linf" }
export const E3_VARIANTS: Record<string, E3Variant> = {
  "full-batch": { batch: "full", participation: 1, norm: "l2" },
  "stochastic": { batch: 50, participation: 1, norm: "l2" },
  "partial": { batch: "full", participation: 0.5, norm: "l2" },
  "full-batch-linf": { batch: "full", participation: 1, norm: "linf" },
  "stochastic-linf": { batch: 50, participation: 1, norm: "linf" },
  "partial-linf": { batch: "full", participation: 0.5, norm: "linf" },
};
/** What `fedquant e3` runs when no --variant is named: the papers' set-up (ℓ2). */
export const E3_DEFAULT_VARIANTS = ["full-batch", "stochastic", "partial"] as const;

export function e3Config(problem: E3Problem, variant: string, opts: { quick?: boolean; dataDir?: string } = {}): RunConfig {
  const v = E3_VARIANTS[variant]!;
  const s = v.participation < 1 ? 2 : 1;
  const prob = { ...E3_PROBLEMS[problem] } as Record<string, unknown>;
  if (prob.kind === "reference" && opts.dataDir) prob.dataDir = opts.dataDir;
  return parseRunConfig({
    name: `e3-${problem}-${variant}${opts.quick ? "-quick" : ""}`,
    problem: prob,
    iterations: opts.quick ? 40 : 400,
    batch: v.batch,
    gamma: "1/L",
    participation: v.participation,
    seed: 1,
    up: { name: "qsgd", params: { s, norm: v.norm } },
    down: { name: "qsgd", params: { s, norm: v.norm } },
    algorithms: E3_ALGORITHMS,
    evalEvery: 1,
  }, `E3 ${problem}/${variant}`);
}

/** Problems whose data is present (the real data sets need ../shared/data). */
export function availableE3Problems(dataDir = "../shared/data"): { run: E3Problem[]; skipped: string[] } {
  const run: E3Problem[] = [], skipped: string[] = [];
  for (const p of Object.keys(E3_PROBLEMS) as E3Problem[]) {
    const ds = (E3_PROBLEMS[p] as { dataset?: string }).dataset;
    if (ds && !existsSync(join(dataDir, `${ds}.libsvm`))) skipped.push(`${p} (no ${join(dataDir, `${ds}.libsvm`)})`);
    else run.push(p);
  }
  return { run, skipped };
}
