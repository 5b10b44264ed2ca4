// fedquant's public API (browser-safe: no node:* import is reachable from here): re-exports only.
// Node-only additions (file loaders, reference data sets, experiments, the WebSocket server,
// the samples-file runner) are in "fedquant/node" (src/node.ts).
export { FedquantError, type FedquantErrorCode } from "./errors.js";
export * from "./random/index.js";
export { ready, kernel, loadKernel, useKernel, simdSupported, relaxedSimdSupported, Kernel, type Flavour, type FlavourChoice, type LoadOptions } from "./kernel/index.js";
export * from "./wire/index.js";
export * from "./compressors/index.js";
export * from "./models/index.js";
export * from "./data/browser.js";
export * from "./algorithms/index.js";
export { simulate, simulateAsync, type SimulationOptions, type SimulationResult, type IterationInfo } from "./federation/simulator.js";
export { samplerThreads, webSamplerWorkers, closeIdleThreads, defaultThreads, WebClientPool, type WebSamplerOptions, type WorkerFactory, type WorkerLike } from "./federation/pool/index.js";
export * from "./sampling/browser.js";
export * as transport from "./federation/transport/index.js";
export * from "./report/index.js";
// both layers define a calibration bin; the report's (confidence, accuracy, count) is the common part
export type { CalibrationBin } from "./report/index.js";
