// The default comparison of `npm start` / `fedquant run` (issue #4 item 6): SGD, DIANA, Artemis,
// MCM and DoubleSqueeze with 1-level quantization (s = 1) both ways on the strongly
// heterogeneous synthetic logistic problem (Artemis paper; experiments.md E3), full batch.
// Kept in code (not only in examples/) so the installed CLI needs no file to run it.
export const defaultRunConfig = {
  name: "main-heterogeneous-logistic",
  problem: { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1 },
  iterations: 300,
  batch: "full",
  gamma: "1/L",
  seed: 1,
  // s = 1 quantization scaled by max|x_i| as in the Artemis/MCM authors' code (see e3.ts)
  up: { name: "qsgd", params: { s: 1, norm: "linf" } },
  down: { name: "qsgd", params: { s: 1, norm: "linf" } },
  algorithms: [
    { name: "sgd", label: "SGD (uncompressed)" },
    { name: "diana", label: "DIANA" },
    { name: "artemis", label: "Artemis" },
    { name: "mcm", label: "MCM" },
    { name: "double-squeeze", label: "DoubleSqueeze" },
  ],
} as const;
