// The kernel layer: loading the wasm and the typed operations over it.
export { Kernel, ready, kernel, loadKernel, useKernel } from "./kernel.js";
export { simdSupported, relaxedSimdSupported, pickFlavour } from "./load.js";
export type { Flavour, FlavourChoice, LoadOptions, KernelExports } from "./load.js";
export { qsgdEncodeAt, qsgdDecodeBytes, signEncodeAt, signDecodeBytes, type QsgdShape } from "./messages.js";
