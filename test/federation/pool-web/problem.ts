// The small run the browser pool test makes in a page and in Node alike: least squares (no exp or
// log, so every engine computes F bit for bit the same) on 7 clients of different sizes, drawn
// from Philox streams; partial participation and minibatches so every client stream is used.
import { leastSquares, type Dataset } from "../../../src/models/index.js";
import { RandomStream } from "../../../src/random/index.js";
import type { SimulationOptions } from "../../../src/federation/simulator.js";

export const ALGORITHMS = ["artemis", "dostovoq-sgd", "mcm", "ef-sgd"] as const;
export const THREADS = [1, 2, 3] as const;

export function problem(algorithm: string): SimulationOptions {
  const p = 12;
  const workers: Dataset[] = Array.from({ length: 7 }, (_, i) => {
    const n = 20 + 3 * i, r = RandomStream.of(77, "data", 13, i);
    const X = Float64Array.from(r.normals(n * p)), y = Float64Array.from(r.normals(n), (v, j) => v + i * 0.1 + X[j * p]!);
    return { n, p, X, y };
  });
  return { algorithm, gamma: 0.02, objective: leastSquares({ p }), workers, iterations: 8, seed: 5, batchSize: 6, participation: 0.7, evalEvery: 1 };
}

/** FNV-1a over bytes: a digest of every uplink and downlink of a run, in order. */
export function fnv(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619) >>> 0;
  return h;
}

export interface RunSummary {
  algorithm: string; threads: number; finalW: number[]; loss: number[];
  bitsUp: number[]; bitsDown: number[]; wireBitsUp: number[]; wireBitsDown: number[]; messages: number; digest: number;
}
