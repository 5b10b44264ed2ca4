// The default comparison of `npm start` / `fedquant run` (issue #4 item 6): SGD, DIANA, Artemis,
// MCM and DoubleSqueeze with 1-level quantization (s = 1) both ways on the strongly
// heterogeneous synthetic logistic problem, generated as in the Artemis authors' code
// (synthetic-logistic-authors.ts; experiments.md E3), full batch.
// Kept in code (not only in examples/) so the installed CLI needs no file to run it.
export const defaultRunConfig = {
  name: "main-heterogeneous-logistic",
  problem: { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1, generator: "authors" },
  iterations: 300,
  batch: "full",
  gamma: "1/L",
  seed: 1,
  // s = 1 quantization scaled by ‖x‖₂: the papers' Definition 1 and the authors' convex
  // experiments (SQuantization(1, dim, norm=2)); examples/main-heterogeneous-logistic-linf.json
  // is the max|x_i| variant
  up: { name: "qsgd", params: { s: 1, norm: "l2" } },
  down: { name: "qsgd", params: { s: 1, norm: "l2" } },
  algorithms: [
    { name: "sgd", label: "SGD (uncompressed)" },
    { name: "diana", label: "DIANA" },
    { name: "artemis", label: "Artemis" },
    { name: "mcm", label: "MCM" },
    { name: "double-squeeze", label: "DoubleSqueeze" },
  ],
} as const;
