// Public surface of src/data (re-exports only): everything of browser.ts plus the Node-only
// loaders (*-node.ts: files, the reference datasets, MNIST). Browser bundles: use ./browser.js.
export * from "./browser.js";
export { readLinesSync } from "./lines-node.js";
export { loadLibsvm } from "./libsvm-node.js";
export { loadCsv } from "./csv-node.js";
export { referenceDataset } from "./reference-node.js";
export type { ReferenceDataset, ReferenceName, ReferenceSplit } from "./reference-node.js";
export { mnistDigits, MNIST_SIDE, MNIST_PIXELS } from "./mnist-node.js";
export type { MnistOptions } from "./mnist-node.js";
