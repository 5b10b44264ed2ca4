// Mixing of the E4 neural-network chains on the quantities the table reports (issue #11 item 7):
// every kept draw θ_s of every chain is scored on its own — the single-draw predictive p(y | x, θ_s)
// on the test digits gives accuracy, NLL and ECE — and split R̂ and ESS (Gelman et al., BDA3 ch. 11;
// src/sampling/ess.ts) are computed on those traces across the chains. A weight's R̂ can be huge
// while the predictive has settled (weights are non-identifiable: permuted hidden units predict the
// same), so these are the R̂ that qualify the reported accuracy/NLL/ECE; with R̂ ≥ 1.1 the table
// marks the row as NOT mixed.
import type { Dataset, Objective } from "../models/index.js";
import { classificationMetrics, essImse, readSamples, splitRhat } from "../sampling/index.js";

/** The usual alarm level of split R̂. */
export const RHAT_MIXED = 1.1;

export const TRACKED = ["accuracy", "nll", "ece"] as const;
export type Tracked = typeof TRACKED[number];

export interface TrackedMixing {
  rhat: Record<Tracked, number>;
  ess: Record<Tracked, number>;
  maxRhat: number;
  mixed: boolean;
}

/** Per-draw test scores of each chain's kept draws (samples files), then R̂ and ESS across chains. */
export function trackedMixing(samplesPaths: string[], model: Objective & { predictProba(w: Float64Array, data: Dataset): Float64Array },
  test: Dataset, labels: ArrayLike<number>, classes: number, bins: number): TrackedMixing {
  const traces = Object.fromEntries(TRACKED.map((k) => [k, [] as number[][]])) as Record<Tracked, number[][]>;
  for (const path of samplesPaths) {
    const per = Object.fromEntries(TRACKED.map((k) => [k, [] as number[]])) as Record<Tracked, number[]>;
    for (const row of readSamples(path).rows) {
      const m = classificationMetrics(model.predictProba(Float64Array.from(row), test), labels, classes, bins);
      for (const k of TRACKED) per[k].push(m[k]);
    }
    for (const k of TRACKED) traces[k].push(per[k]);
  }
  const rhat = {} as Record<Tracked, number>, ess = {} as Record<Tracked, number>;
  for (const k of TRACKED) {
    // split R̂ needs ≥ 2 draws per half-chain
    rhat[k] = traces[k][0]!.length >= 4 ? splitRhat(traces[k]) : NaN;
    ess[k] = essImse(traces[k]);
  }
  const maxRhat = Math.max(...TRACKED.map((k) => (Number.isNaN(rhat[k]) ? Infinity : rhat[k])));
  return { rhat, ess, maxRhat, mixed: maxRhat < RHAT_MIXED };
}

/** The cell the summary table shows beside the scores. */
export function mixingCell(m: TrackedMixing): string {
  const r = TRACKED.map((k) => m.rhat[k].toFixed(2)).join(" / ");
  return m.mixed ? `mixed (R̂ ${r})` : `NOT MIXED (R̂ ${r} ≥ ${RHAT_MIXED})`;
}
