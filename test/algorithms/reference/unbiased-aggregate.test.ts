// Unbiasedness of the aggregate under partial participation (spec/optimization.md "Partial
// participation": ĝ_k = (1/(pN)) Σ_{i∈S_k} Δ_k^i + h_k; langevin.md: b/m for m of b without
// replacement). With identity compressors and every worker's gradient frozen at a fixed w
// (g_i = ∇F_i(w), whatever point it is handed), E[ĝ_k | past] = (1/N) Σ_i g_i exactly, so the mean
// step over R rounds, (w_0 − w_R)/(γR), must equal (1/N) Σ_i g_i within its sampling error.
//
// Tolerance: with α = 0 the rounds are independent and, per coordinate j,
//   Bernoulli(p):       Var ĝ_j = (1 − p)/(p N²) Σ_i g_ij²
//   m of N, no repl.:   Var ĝ_j = (1 − m/N)/m · s_j²,  s_j² = Σ_i (g_ij − ḡ_j)²/(N − 1)
// (times N² for aggregate "sum"). With a memory h^i (α > 0), ĝ_k − E ĝ_k is a martingale
// difference whose variance has g_i − h^i in place of g_i, and |g_ij − h_ij| ≤ |g_ij| (h^i moves
// from 0 towards g_i), so the α = 0 variance bounds it. The mean of R rounds has standard error
// SE_j = √(Var/R); we accept |mean − target| ≤ 4.5 SE_j (false alarm < 1e-5 per coordinate under
// the normal approximation). Dropping the 1/p factor shifts the mean by (1 − p)|ḡ_j|: the test
// checks that this shift exceeds 10 SE_j, so it would be caught.
import { describe, expect, it } from "vitest";
import { createAlgorithm, type AlgorithmConfig, type ClientId, type ParticipationSpec } from "../../../src/algorithms/index.js";
import { useKernel } from "../helpers.js";

useKernel();
const N = 4, D = 4, R = 400, gamma = 0.25, seed = 101;
// dyadic entries (exact in float32), heterogeneous across workers, mean ḡ_j = 1 + j/4
const G = Array.from({ length: N }, (_, i) => Array.from({ length: D }, (_, j) => 1 + j / 4 + (i - 1.5) / 2 * (j % 2 === 0 ? 1 : -1)));
const gbar = Array.from({ length: D }, (_, j) => G.reduce((s, g) => s + g[j]!, 0) / N);

function meanStep(name: string, config: AlgorithmConfig): number[] {
  const algo = createAlgorithm(name, config);
  const w0 = new Float64Array(D);
  const server = algo.createServer({ w0, clients: N, seed });
  const clients = G.map((_, i) => algo.createClient({ id: i, w0, seed }));
  for (let k = 0; k < R; k++) {
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of server.broadcast(k)) up.set(id, clients[id]!.step(k, bytes, (_w, out, ctx) => out.set(G[ctx.client]!)));
    server.receive(k, up);
  }
  // every model moves by −γ·ĝ per round (EF-SGD's uplinks are the steps γg themselves)
  return Array.from(server.model, (w, j) => (w0[j]! - w) / (gamma * R));
}

function standardError(part: ParticipationSpec, j: number, sum: boolean): number {
  const col = G.map((g) => g[j]!);
  let v: number;
  if (typeof part === "number" || part.kind === "bernoulli") {
    const p = typeof part === "number" ? part : part.p;
    v = (1 - p) / (p * N * N) * col.reduce((s, x) => s + x * x, 0);
  } else {
    const s2 = col.reduce((s, x) => s + (x - gbar[j]!) ** 2, 0) / (N - 1);
    v = (1 - part.m / N) / part.m * s2;
  }
  return Math.sqrt((sum ? N * N : 1) * v / R);
}

const I = "identity";
const CASES: [string, AlgorithmConfig][] = [
  ["sgd", { gamma, participation: 0.5 }],
  ["qsgd", { gamma, up: I, participation: 0.5 }],
  ["qsgd", { gamma, up: I, participation: { kind: "fixed", m: 2 }, aggregate: "sum" }],
  ["diana", { gamma, up: I, alpha: 0.3, participation: 0.5 }],
  ["diana", { gamma, up: I, alpha: 0.3, participation: 0.5, serverMemory: "active-workers" }],
  ["diana", { gamma, up: I, alpha: 0.3, participation: { kind: "fixed", m: 3 }, aggregate: "sum" }],
  ["biqsgd", { gamma, up: I, down: I, participation: 0.4 }],
  ["artemis", { gamma, up: I, down: I, alpha: 0.3, participation: 0.5 }],
  ["artemis", { gamma, up: I, down: I, alpha: 0.3, participation: { kind: "fixed", m: 2 } }],
  ["artemis-nd", { gamma, up: I, down: I, alpha: 0.3, participation: 0.5 }],
  ["mcm", { gamma, up: I, down: I, alpha: 0.3, alphaDown: 0.5, participation: 0.5 }],
  ["rand-mcm", { gamma, up: I, down: I, alpha: 0.3, alphaDown: 0.5, participation: 0.5 }],
  ["dore", { gamma, up: I, down: I, alpha: 0.3, participation: 0.5 }],
  ["double-squeeze", { gamma, up: I, down: I, participation: 0.5 }],
  ["ef-sgd", { gamma, up: I, down: I, participation: 0.5 }],
];

describe("the aggregate is unbiased under partial participation (identity compressors, frozen gradients)", () => {
  for (const [name, config] of CASES) {
    it(`${name} ${JSON.stringify({ ...config, gamma: undefined })}: mean step over ${R} rounds = ${config.aggregate === "sum" ? "Σ_i" : "(1/N) Σ_i"} g_i ± 4.5 SE`, () => {
      const sum = config.aggregate === "sum";
      const m = meanStep(name, config);
      const part = config.participation!;
      const p = typeof part === "number" ? part : part.kind === "bernoulli" ? part.p : part.m / N;
      for (let j = 0; j < D; j++) {
        const target = (sum ? N : 1) * gbar[j]!, se = standardError(part, j, sum);
        expect((1 - p) * Math.abs(target), "a dropped 1/p would be visible").toBeGreaterThan(10 * se);
        expect(Math.abs(m[j]! - target), `coordinate ${j}: ${m[j]} vs ${target}, SE ${se}`).toBeLessThanOrEqual(4.5 * se);
      }
    });
  }
});
