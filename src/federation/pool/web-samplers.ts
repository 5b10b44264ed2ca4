// The federated samplers' clients on Web Workers (issue #13, browsers): an AsyncRoundClientsFactory
// for federatedSampler(...).init({ parallel: webSamplerWorkers(n) }), built on the browser pool
// (web-pool.ts: the assignment, gathering and error order of core.ts, so a chain is bit-identical
// to one thread). A page's main thread may not block, so such a chain is stepped with
// `await chain.stepAsync()` (or sampleChainAsync); the server, its Langevin noise Z_{k+1} and the
// bit counts stay on the calling thread.
import { FedquantError } from "../../errors.js";
import type { AsyncRoundClients, AsyncRoundClientsFactory, SamplerJob } from "../../sampling/browser.js";
import { checkThreads } from "./core.js";
import { samplerRecipe } from "./samplers.js";
import { WebClientPool, type WorkerFactory } from "./web-pool.js";

export interface WebSamplerOptions {
  /** makes each Web Worker (default: this package's web-worker.js; see defaultWorkerFactory) */
  makeWorker?: WorkerFactory;
}

/**
 * `threads` threads (the calling one included; T − 1 Web Workers, capped at the number of
 * clients) for a federated sampler's clients. The workers are made when the chain is (init), and
 * a failure to build them surfaces at the first awaited step, save or load.
 */
export function webSamplerWorkers(threads: number, options: WebSamplerOptions = {}): AsyncRoundClientsFactory {
  const T = checkThreads(threads);
  if (options === null || typeof options !== "object") throw new FedquantError("E_CONFIG", "webSamplerWorkers: options must be an object { makeWorker? }");
  const makeWorker = options.makeWorker;
  if (makeWorker !== undefined && typeof makeWorker !== "function") throw new FedquantError("E_CONFIG", "webSamplerWorkers: makeWorker must be a function returning a Worker");
  return (job: SamplerJob): AsyncRoundClients => {
    const ids = job.model.clients.map((_, i) => i);
    if (makeWorker === undefined && Math.min(T, ids.length) > 1 && typeof Worker !== "function") {
      throw new FedquantError("E_CONFIG", "webSamplerWorkers: this environment has no Web Workers; pass { makeWorker }, or in Node use samplerThreads(n) (worker threads, synchronous step())");
    }
    // the recipe is checked now (E_CONFIG for what a worker cannot rebuild), the pool awaited later
    const recipe = samplerRecipe(job);
    const created = WebClientPool.create(T, recipe, ids, (id) => job.model.clients[id]!, makeWorker);
    // a pool that fails to start is reported by the first awaited call, not as an unhandled rejection
    created.catch(() => {});
    let closed = false;
    const pool = async (): Promise<WebClientPool> => {
      if (closed) throw new FedquantError("E_STATE", "webSamplerWorkers: the chain was closed");
      return created;
    };
    return {
      async: true,
      // downlinks are counted before the step and never read again: move them
      step: async (round, downlinks) => (await pool()).step(round, downlinks, true),
      save: async () => (await pool()).save(),
      load: async (c, o) => (await pool()).load(c, o),
      close: () => { closed = true; created.then((p) => p.close(), () => {}); },
    };
  };
}
