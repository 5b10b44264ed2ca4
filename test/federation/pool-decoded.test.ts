// The pool decodes each uplink on the thread that made it (issue #13: the server on the calling
// thread then only aggregates). Every vector the pool hands the server must be what the server's
// own decode of those bytes gives on this thread, bit for bit — for optimisation and sampler
// recipes, with 1, 2 and 3 threads; and the run must be the one-thread run (pool.test.ts).
import { afterAll, describe, expect, it } from "vitest";
import { attachedDecoded, createAlgorithm, decodeUplinkVector, type Algorithm, type ClientId } from "../../src/algorithms/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { ClientPool, closeIdleThreads, describeObjective, samplerRecipe, type Recipe } from "../../src/federation/pool/index.js";
import type { Dataset } from "../../src/models/index.js";
import { federatedSampler, type SamplerJob } from "../../src/sampling/index.js";
import { heterogeneousLsr } from "../algorithms/helpers.js";
import { logisticModel } from "../sampling/helpers.js";

afterAll(() => closeIdleThreads());

const P = heterogeneousLsr(7, 16, 6);

/** Rounds of `algo` with the pool's clients; checks every decoded vector against this thread's decode. */
function check(algo: Algorithm, recipe: Recipe, threads: number, data: (id: ClientId) => Dataset, n: number, rounds = 5): number {
  const seed = BigInt(recipe.seed), dim = recipe.w0.length;
  const server = algo.createServer({ w0: recipe.w0, clients: n, seed, hooks: {} });
  const pool = new ClientPool(threads, recipe, Array.from({ length: n }, (_, i) => i), data);
  let checked = 0;
  try {
    for (let k = 0; k < rounds; k++) {
      const up = pool.step(k, server.broadcast(k));
      const decoded = attachedDecoded(up);
      expect(decoded).toBeDefined();
      expect([...decoded!.keys()].sort()).toEqual([...up.keys()].sort());
      for (const [id, bytes] of up) {
        const want = decodeUplinkVector(algo.up, dim, seed, k, id, bytes), got = decoded!.get(id)!;
        expect(got).toBeInstanceOf(Float32Array);
        expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
        checked++;
      }
      server.receive(k, up);
    }
  } finally { pool.close(); }
  return checked;
}

describe("pool: each uplink comes with the server's decode of it, made on its own thread", () => {
  it.each([1, 2, 3])("optimisation (qsgd, dostovoq-sgd, diana with partial participation), %i thread(s)", (threads) => {
    for (const [name, extra] of [["qsgd", {}], ["dostovoq-sgd", {}], ["diana", { participation: 0.7 }]] as const) {
      const algo = createAlgorithm(name, { gamma: 0.1 / P.L, ...extra });
      const recipe: Recipe = { kind: "optimizer", algorithm: algo.name, config: algo.config, seed: "9", w0: new Float64Array(P.objective.dim), objective: describeObjective(P.objective), batch: 5 };
      expect(check(algo, recipe, threads, (id) => P.workers[id]!, P.workers.length)).toBeGreaterThan(0);
    }
  });

  it.each([2, 3])("samplers (sgld: identity uplinks; qlsd++: qsgd with memory), %i threads", (threads) => {
    const model = logisticModel(5, 24, 3);
    for (const params of [
      { algorithm: "sgld" as const, stepSize: 1e-3, batchSize: 6 },
      { algorithm: "qlsd++" as const, stepSize: 1e-3, batchSize: 6, compressor: createCompressor("qsgd", { s: 4 }), refresh: 3 },
    ]) {
      let job: SamplerJob | undefined;
      federatedSampler(model, params).init({ seed: 3, parallel: (j) => { job = j; return { step: () => new Map(), save: () => ({ clients: [], oracles: [] }), load: () => {}, close: () => {} }; } });
      const n = job!.model.clients.length;
      expect(check(job!.algorithm, samplerRecipe(job!), threads, (id) => job!.model.clients[id]!, n)).toBe(5 * n);
    }
  });
});
