// The gradient oracle of a simulated client (spec/optimization.md: g_k^i is worker i's unbiased
// stochastic gradient of F_i, minibatch of size b): rows drawn without replacement from the
// client's own stream (seed, minibatch, round, client), so a network client holding the same
// data and seed draws the same minibatches.
import { FedquantError } from "../errors.js";
import type { GradientOracle } from "../algorithms/index.js";
import type { Dataset, Objective } from "../models/index.js";
import { RandomStream } from "../random/index.js";

export type BatchSize = number | "full";

export function checkBatchSize(b: unknown): BatchSize {
  if (b === undefined || b === "full") return "full";
  if (typeof b !== "number" || !Number.isInteger(b) || b < 1) throw new FedquantError("E_CONFIG", `batchSize must be an integer ≥ 1 or "full", got ${String(b)}`);
  return b;
}

/** ∇F_i at w on a fresh minibatch (or the full local data when b is "full" or ≥ n_i). */
export function minibatchOracle(objective: Objective, data: Dataset, seed: bigint, batchSize: BatchSize): GradientOracle {
  if (data.n < 1) throw new FedquantError("E_DIM", "a worker holds no rows");
  const full = batchSize === "full" || batchSize >= data.n;
  if (full) return (w, out) => { objective.grad(w, data, out); };
  const b = batchSize as number;
  return (w, out, ctx) => {
    const rows = RandomStream.of(seed, "minibatch", ctx.round, ctx.client).sampleWithoutReplacement(data.n, b);
    objective.grad(w, data, out, rows);
  };
}
