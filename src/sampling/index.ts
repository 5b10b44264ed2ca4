// Public surface of src/sampling: the browser-safe samplers and diagnostics plus the Node-only
// disk runner (samples file, atomic checkpoints, resume). Browser bundles: import ./browser.js.
export * from "./browser.js";
export { runToDisk, type Observer, type RunToDiskOptions, type RunToDiskResult } from "./run-node.js";
export { SampleWriter, readSamples, type SampleDtype, type SamplesFile } from "./samples-file-node.js";
