// Experiment E3 (experiments.md; Philippenko & Dieuleveut 2020, 2021): bidirectional compression
// on synthetic and real problems, N = 20 workers, s-quantization both ways (s = 1; s = 2 under
// partial participation), α_up = 1/(2(ω+1)), γ = 1/L, full batch (400 iterations) and stochastic
// (batch 50), full and partial (p = 0.5) participation. Each variant is an ordinary run config.
// The s-quantization scales by max|x_i| as in the authors' code (qsgd norm "linf"): with the ℓ2
// scaling of QSGD the error-feedback baselines (DoubleSqueeze, Dore's downlink) diverge at
// γ = 1/L, because E‖C(x) − x‖² can exceed ‖x‖² and the fed-back error then grows.
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
  { name: "dore", label: "Dore" },
  { name: "double-squeeze", label: "DoubleSqueeze" },
  { name: "mcm", label: "MCM" },
  { name: "rand-mcm", label: "Rand-MCM" },
  { name: "artemis-nd", label: "Artemis-ND" },
] as const;

export const E3_PROBLEMS = {
  "synthetic-lsr": { kind: "synthetic-lsr", workers: 20, perWorker: 200, dim: 20, seed: 1 },
  "synthetic-logistic": { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1 },
  "phishing-noniid": { kind: "reference", dataset: "phishing", split: "noniid" },
  "phishing-iid": { kind: "reference", dataset: "phishing", split: "iid" },
  "a9a-noniid": { kind: "reference", dataset: "a9a", split: "noniid" },
  "a9a-iid": { kind: "reference", dataset: "a9a", split: "iid" },
} as const;
export type E3Problem = keyof typeof E3_PROBLEMS;

export interface E3Variant { batch: "full" | number; participation: number }
export const E3_VARIANTS: Record<string, E3Variant> = {
  "full-batch": { batch: "full", participation: 1 },
  "stochastic": { batch: 50, participation: 1 },
  "partial": { batch: "full", participation: 0.5 },
};

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
    up: { name: "qsgd", params: { s, norm: "linf" } },
    down: { name: "qsgd", params: { s, norm: "linf" } },
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
