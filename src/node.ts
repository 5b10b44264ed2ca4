// fedquant for Node: everything of the browser-safe API plus the Node-only parts — LIBSVM/CSV
// file loaders, the reference data sets and MNIST, the experiment runners, the samples-file
// runner with checkpoints, and the WebSocket server/client of the transport.
export * from "./index.js";
export { writeResults, writeSvg, writeHtmlReport, writeTextFiles } from "./report/node.js";
export { readLinesSync, loadLibsvm, loadCsv, referenceDataset, mnistDigits, MNIST_SIDE, MNIST_PIXELS } from "./data/index.js";
export type { ReferenceDataset, ReferenceName, ReferenceSplit, MnistOptions } from "./data/index.js";
export { runToDisk, SampleWriter, readSamples, type Observer, type RunToDiskOptions, type RunToDiskResult, type SampleDtype, type SamplesFile } from "./sampling/index.js";
export * as transportNode from "./federation/transport/node.js";
export { runExperiment, algorithmConfig, type RunOptions, type RunOutput } from "./experiments/run.js";
export { parseRunConfig, RunConfigSchema, type RunConfig } from "./experiments/run-config.js";
export { buildProblem as buildRunProblem, ProblemSchema, type ProblemConfig, type Problem as RunProblem } from "./experiments/problems.js";
export { computeOptimum, type Optimum } from "./experiments/optimum.js";
