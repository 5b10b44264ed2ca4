// The default comparison of `npm start` / `fedquant run` (issue #4 item 6, issue #14 item 9): SGD,
// DIANA, Artemis, MCM and DoubleSqueeze on the Artemis paper's synthetic least squares
// (Toeplitz 0.6^|i−j| features, y = xᵀw* + 2 + N(0, 0.4²); experiments.md E3) widened from d = 20 to
// d = 100, full batch, with the papers' ℓ2 s-quantization both ways at s = 10 = √d: QSGD's own
// choice (Alistarh et al. 2017, Thm 3.2 with s = √d) that keeps the variance bound
// ω = min(d/s², √d/s) = 1, so every algorithm converges at γ = 1/L.
// Why not the heterogeneous logistic problem of the papers (examples/main-heterogeneous-logistic.json):
// it has d = 2, where the 37-byte header of each message outweighs any payload, so on the wire the
// compressed algorithms sent more bits than SGD — the first comparison a user sees must show what
// compression buys on the wire too (measured: docs/experiments.md "The default job").
// Kept in code (not only in examples/) so the installed CLI needs no file to run it.
export const defaultRunConfig = {
  name: "main-lsr-d100",
  problem: { kind: "synthetic-lsr", workers: 20, perWorker: 200, dim: 100, seed: 1 },
  iterations: 300,
  batch: "full",
  gamma: "1/L",
  seed: 1,
  up: { name: "qsgd", params: { s: 10, norm: "l2" } },
  down: { name: "qsgd", params: { s: 10, norm: "l2" } },
  algorithms: [
    { name: "sgd", label: "SGD (uncompressed)" },
    { name: "diana", label: "DIANA" },
    { name: "artemis", label: "Artemis" },
    { name: "mcm", label: "MCM" },
    { name: "double-squeeze", label: "DoubleSqueeze" },
  ],
} as const;
