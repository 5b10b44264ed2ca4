// The federated samplers' clients on a thread pool: a RoundClientsFactory for
// federatedSampler(...).init({ parallel: samplerThreads(n) }) (sampling/simulate.ts). The server,
// its Langevin noise Z_{k+1} and the bit counts stay on the calling thread.
import type { RoundClients, RoundClientsFactory, SamplerJob } from "../../sampling/browser.js";
import { portableObjective } from "./objective-spec.js";
import { checkThreads, ClientPool } from "./pool.js";
import { describePrior, type SamplerRecipe } from "./recipe.js";

export function samplerRecipe(job: SamplerJob): SamplerRecipe {
  const { model, params, algorithm, seed, theta0 } = job;
  return {
    kind: "sampler", algorithm: algorithm.name, config: algorithm.config, seed: seed.toString(), w0: theta0,
    likelihood: portableObjective(model.likelihood, model.clients[0]!), prior: describePrior(model.prior), clients: model.clients.length,
    oracle: { dim: params.dim, batchSize: params.batchSize, controlVariate: params.controlVariate, refresh: params.refresh, thetaStar: params.thetaStar },
  };
}

/** `threads` threads (the calling one included) for a federated sampler's clients. */
export function samplerThreads(threads: number): RoundClientsFactory {
  const T = checkThreads(threads);
  return (job: SamplerJob): RoundClients => {
    const ids = job.model.clients.map((_, i) => i);
    const pool = new ClientPool(T, samplerRecipe(job), ids, (id) => job.model.clients[id]!);
    return {
      // downlinks are counted before the step and never read again: move them
      step: (round, downlinks) => pool.step(round, downlinks, true),
      save: () => pool.save(),
      load: (c, o) => pool.load(c, o),
      close: () => pool.close(),
    };
  };
}
