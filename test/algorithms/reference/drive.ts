// Runs the library and the naive reference (naive.ts) side by side on the same problem, the same
// gradient function and the same seed, and reports how far apart their trajectories are.
import { createAlgorithm, type AlgorithmClient, type AlgorithmConfig, type ClientId } from "../../../src/algorithms/index.js";
import { RandomStream } from "../../../src/random/index.js";
import type { Dataset } from "../../../src/models/index.js";
import { runReference, type Grad, type RefConfig, type RuleName, type Vec } from "./naive.js";

/** ∇F_i(w) = (1/|B|) Σ_{r∈B} x_r (x_rᵀw − y_r), B a minibatch of `batch` rows drawn per (round, worker) from a test stream. */
export function lsrGrad(workers: readonly Dataset[], batch: number): Grad {
  return (i, w, round) => {
    const { n, p, X, y } = workers[i]!;
    const rows = batch >= n ? [...Array(n).keys()] : Array.from(RandomStream.of(4242, "test", round, 100 + i).sampleWithoutReplacement(n, batch));
    const g = new Array<number>(p).fill(0);
    for (const r of rows) {
      let e = -y[r]!;
      for (let j = 0; j < p; j++) e += X[r * p + j]! * w[j]!;
      for (let j = 0; j < p; j++) g[j] += X[r * p + j]! * e / rows.length;
    }
    return g;
  };
}

export interface SideBySide {
  /** max over rounds and coordinates of |library − reference| / (1 + |reference|), server model */
  server: number;
  /** the same for the points where the active workers computed their gradients */
  workers: number;
  /** how far the reference model moved from w0 (the comparison is not between frozen models) */
  moved: number;
  rounds: number;
}

export function sideBySide(name: RuleName, config: AlgorithmConfig & { participation?: number }, workers: readonly Dataset[], rounds: number, seed: number, grad: Grad): SideBySide {
  const algo = createAlgorithm(name, config);
  const D = workers[0]!.p, N = workers.length, w0 = new Float64Array(D);
  const server = algo.createServer({ w0, clients: N, seed });
  const clients: AlgorithmClient[] = workers.map((_, i) => algo.createClient({ id: i, w0, seed }));
  const evalAt: Vec[][] = [];
  const lib: Vec[] = [];
  for (let k = 0; k < rounds; k++) {
    const down = server.broadcast(k), up = new Map<ClientId, Uint8Array>();
    const at: Vec[] = [];
    for (const [id, bytes] of down) {
      up.set(id, clients[id]!.step(k, bytes, (w, out, ctx) => {
        at[ctx.client] = Array.from(w);
        out.set(grad(ctx.client, Array.from(w), ctx.round));
      }));
    }
    server.receive(k, up);
    lib.push(Array.from(server.model));
    evalAt.push(at);
  }
  const c = config as { alpha?: number; alphaDown?: number; beta?: number; eta?: number; serverMemory?: "all-workers" | "active-workers"; memoryInit?: "zero" | "first-gradient" };
  const ref: RefConfig = { gamma: config.gamma, up: algo.up, down: algo.down, p: config.participation ?? 1, alpha: c.alpha, alphaDown: c.alphaDown, beta: c.beta, eta: c.eta, serverMemory: c.serverMemory, memoryInit: c.memoryInit };
  const r = runReference(name, ref, Array.from(w0), N, BigInt(seed), rounds, grad);
  let server_ = 0, workers_ = 0, moved = 0;
  const rel = (a: number, b: number) => Math.abs(a - b) / (1 + Math.abs(b));
  for (let k = 0; k < rounds; k++) {
    r[k]!.server.forEach((v, t) => { server_ = Math.max(server_, rel(lib[k]![t]!, v)); moved = Math.max(moved, Math.abs(v)); });
    for (let i = 0; i < N; i++) {
      const a = evalAt[k]![i], b = r[k]!.evalPoints[i];
      // the reference and the library must agree on who was active, and where it evaluated
      if ((a === undefined) !== (b === undefined)) workers_ = Infinity;
      else if (a && b) b.forEach((v, t) => { workers_ = Math.max(workers_, rel(a[t]!, v)); });
    }
  }
  return { server: server_, workers: workers_, moved, rounds };
}
