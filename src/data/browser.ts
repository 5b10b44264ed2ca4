// The browser-safe part of src/data (no node:* imports): parsers, splits, generators. index.ts
// adds the Node-only file loaders; a browser bundle should import this file instead.
export type { Dataset } from "./dataset.js";
export { makeDataset, selectRows, sliceRows, prependBias, concatRows, toPlusMinusOne } from "./dataset.js";
export { standardize, applyStandardization } from "./standardize.js";
export type { Standardized } from "./standardize.js";
export { parseLibsvm, formatLibsvm, LibsvmParser } from "./libsvm.js";
export type { LibsvmOptions } from "./libsvm.js";
export { parseCsv, CsvParser } from "./csv.js";
export type { CsvOptions } from "./csv.js";
export { splitLines } from "./lines.js";
export {
  splitIid, splitByWorkerOfRow, dirichletLabelSplit, splitByLabel, splitByLabelRows, rebalance,
  iidRows, rowsByWorker, rebalanceRows, materialize,
} from "./splits.js";
export { meanGramSmoothness, gramFrobenius } from "./reference-smoothness.js";
export { Draws } from "./draws.js";
export { DataTag } from "./streams.js";
export { syntheticLsr, lsrE2, toeplitzGaussian } from "./synthetic-lsr.js";
export type { SyntheticLsrOptions, SyntheticLsr, LsrE2Options, LsrE2 } from "./synthetic-lsr.js";
export { syntheticHeterogeneousLogistic, heterogeneousLogisticWorker, syntheticLogisticBayes } from "./synthetic-logistic.js";
export type { HeterogeneousLogisticOptions, HeterogeneousLogistic, LogisticBayesOptions, LogisticBayes } from "./synthetic-logistic.js";
export { syntheticHeterogeneousLogisticAuthors, AUTHORS_LOGISTIC_W } from "./synthetic-logistic-authors.js";
export { gaussianToy } from "./gaussian-toy.js";
export type { GaussianToyOptions, GaussianToy } from "./gaussian-toy.js";
