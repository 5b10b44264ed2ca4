// Shared fixtures of the algorithm tests: a small heterogeneous least-squares problem (each
// worker has its own linear model, so ∇F_i(w*) ≠ 0), a manual driver of the round protocol that
// keeps every message, and the kernel set-up.
import { beforeAll } from "vitest";
import { createAlgorithm, type Algorithm, type AlgorithmClient, type AlgorithmConfig, type AlgorithmServer, type ClientId } from "../../src/algorithms/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { ready } from "../../src/kernel/index.js";
import { leastSquares, lsrOptimum, type Dataset, type Objective } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";

// Top-level: test files compute trajectories while vitest collects them.
await ready();

/** Kept for files that only need the kernel (the import above already loaded it). */
export function useKernel(): void {
  beforeAll(async () => { await ready(); });
}

/** N workers × n rows × d features, y = x·w_i + 0.1 ε with w_i = w_shared + (worker offset): heterogeneous. */
export function heterogeneousLsr(N: number, n: number, d: number, seed = 7): { workers: Dataset[]; objective: Objective; wStar: Float64Array; L: number } {
  const workers: Dataset[] = [];
  const shared = RandomStream.of(seed, "test", 0, 0).normals(d);
  for (let i = 0; i < N; i++) {
    const z = RandomStream.of(seed, "test", 1, i).normals(n * d + n + d);
    const X = new Float64Array(n * d), y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let t = 0;
      for (let j = 0; j < d; j++) {
        const x = z[r * d + j]!;
        X[r * d + j] = x;
        t += x * (shared[j]! + 2 * z[n * d + n + j]!);
      }
      y[r] = t + 0.1 * z[n * d + r]!;
    }
    workers.push({ n, p: d, X, y });
  }
  const objective = leastSquares({ p: d });
  const wStar = lsrOptimum(workers, 0);
  const L = Math.max(...workers.map((w) => objective.smoothness!(w)));
  return { workers, objective, wStar, L };
}

export interface Trace {
  server: AlgorithmServer;
  clients: AlgorithmClient[];
  /** server model after each round (index k = after round k) */
  models: Float64Array[];
  downlinks: Map<ClientId, Uint8Array>[];
  uplinks: Map<ClientId, Uint8Array>[];
}

/** Drive the round protocol by hand for `rounds` rounds; `each` runs after every client step. */
export function drive(
  algo: Algorithm, workers: Dataset[], objective: Objective, rounds: number, seed: number,
  opts: { batch?: number | "full"; each?: (round: number, client: AlgorithmClient, server: AlgorithmServer, trace: Trace) => void } = {},
): Trace {
  const dim = objective.dim, w0 = new Float64Array(dim);
  const server = algo.createServer({ w0, clients: workers.length, seed });
  const clients = workers.map((_, i) => algo.createClient({ id: i, w0, seed }));
  const oracles = workers.map((d) => minibatchOracle(objective, d, BigInt(seed), opts.batch ?? "full"));
  const trace: Trace = { server, clients, models: [], downlinks: [], uplinks: [] };
  for (let k = 0; k < rounds; k++) {
    const down = server.broadcast(k);
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of down) {
      up.set(id, clients[id]!.step(k, bytes, oracles[id]!));
      opts.each?.(k, clients[id]!, server, trace);
    }
    server.receive(k, up);
    trace.models.push(server.model.slice());
    trace.downlinks.push(down);
    trace.uplinks.push(up);
  }
  return trace;
}

export function algo(name: string, config: AlgorithmConfig): Algorithm { return createAlgorithm(name, config); }

/** Byte-level equality of two float64 vectors (bit for bit, −0 ≠ +0). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
