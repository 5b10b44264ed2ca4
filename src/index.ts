// fedquant's public API: re-exports only.
export { FedquantError, type FedquantErrorCode } from "./errors.js";
export * from "./random/index.js";
export { ready, kernel, loadKernel, useKernel, simdSupported, Kernel, type Flavour, type LoadOptions } from "./kernel/index.js";
export * from "./wire/index.js";
export * from "./compressors/index.js";
