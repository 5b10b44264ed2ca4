// Public surface of src/federation/pool: clients of a run on worker threads, bit-exact (re-exports only).
export { ClientPool, checkThreads, type PoolState } from "./pool.js";
export { samplerThreads, samplerRecipe } from "./samplers.js";
export { describeObjective, buildObjective, portableObjective, type ObjectiveSpec } from "./objective-spec.js";
export { buildParties, describePrior, type Recipe, type OptimizerRecipe, type SamplerRecipe, type PriorSpec, type Party, type HostedClient } from "./recipe.js";
export { defaultThreads } from "./cores.js";
export { closeIdleThreads } from "./thread.js";
export { WebClientPool, defaultWorkerFactory, type WorkerFactory, type WorkerLike } from "./web-pool.js";
export { webSamplerWorkers, type WebSamplerOptions } from "./web-samplers.js";
