// The gradient oracle of a simulated client (spec/optimization.md: g_k^i is worker i's unbiased
// stochastic gradient of F_i, minibatch of size b). Rows are drawn without replacement from the
// client's own stream (seed, minibatch, round, client) by a partial Fisher–Yates shuffle, so a
// network client holding the same data and seed draws the same minibatches:
//   perm = 0..n−1; for j = 0..b−1: t = j + U(n − j); swap perm[j], perm[t]; row j = perm[j]
// where U(m) takes the stream's 32-bit words in order (4 per Philox block, all used) and rejects
// w ≥ ⌊2^32/m⌋·m, returning w mod m. The swaps are undone afterwards: O(b) per draw, not O(n).
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import type { GradientOracle } from "../algorithms/index.js";
import { kernel } from "../kernel/index.js";
import type { Dataset, Objective } from "../models/index.js";
import { RandomStream } from "../random/index.js";

export type BatchSize = number | "full";

export function checkBatchSize(b: unknown): BatchSize {
  if (b === undefined || b === "full") return "full";
  if (typeof b !== "number" || !Number.isInteger(b) || b < 1) throw new FedquantError("E_CONFIG", `batchSize must be an integer ≥ 1 or "full", got ${describeValue(b)}`);
  return b;
}

/**
 * Draws b = rows.length distinct rows of 0..n−1 into `rows` (see the file comment). `perm` is an
 * identity permutation of length n, left as found; `swaps` is scratch of length ≥ b.
 */
export function minibatchRows(rng: RandomStream, n: number, rows: Uint32Array, perm: Uint32Array, swaps: Uint32Array): Uint32Array {
  const b = rows.length;
  if (b > n || perm.length !== n || swaps.length < b) throw new FedquantError("E_DIM", `minibatchRows: need b ≤ n = perm.length and swaps.length ≥ b, got b = ${b}, n = ${n}, perm ${perm.length}, swaps ${swaps.length}`);
  let words = kernel().philoxWords(rng, Math.ceil(b / 4) + 1), w = 0;
  for (let j = 0; j < b; j++) {
    const m = n - j, limit = Math.floor(4294967296 / m) * m;
    let x: number;
    do {
      if (w === words.length) { words = kernel().philoxWords(rng, Math.ceil((b - j) / 4) + 1); w = 0; }
      x = words[w++]!;
    } while (x >= limit);
    const t = j + (x % m);
    const a = perm[j]!; perm[j] = perm[t]!; perm[t] = a;
    rows[j] = perm[j]!;
    swaps[j] = t;
  }
  for (let j = b - 1; j >= 0; j--) { const t = swaps[j]!; const a = perm[j]!; perm[j] = perm[t]!; perm[t] = a; }
  return rows;
}

/** ∇F_i at w on a fresh minibatch (or the full local data when b is "full" or ≥ n_i). */
export function minibatchOracle(objective: Objective, data: Dataset, seed: bigint, batchSize: BatchSize): GradientOracle {
  if (data.n < 1) throw new FedquantError("E_DIM", "a worker holds no rows");
  const full = batchSize === "full" || batchSize >= data.n;
  if (full) return (w, out) => { objective.grad(w, data, out); };
  const b = batchSize as number;
  const rows = new Uint32Array(b), swaps = new Uint32Array(b), perm = Uint32Array.from({ length: data.n }, (_, i) => i);
  return (w, out, ctx) => {
    minibatchRows(RandomStream.of(seed, "minibatch", ctx.round, ctx.client), data.n, rows, perm, swaps);
    objective.grad(w, data, out, rows);
  };
}
