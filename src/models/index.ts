// Public surface of src/models: objectives with exact gradients and their helpers (re-exports only).
export type { Dataset, Objective, ExactObjective, Classifier, Smooth } from "./types.js";
export { leastSquares, lsrOptimum } from "./lsr.js";
export type { LeastSquaresOptions } from "./lsr.js";
export { logistic, softplus, sigmoid } from "./logistic.js";
export type { LogisticOptions } from "./logistic.js";
export { softmax, logSumExp } from "./softmax.js";
export type { SoftmaxOptions } from "./softmax.js";
export { mlp, initMlp } from "./mlp.js";
export type { MlpOptions, MlpObjective, MlpLayout, Activation } from "./mlp.js";
export { gaussianMean } from "./gaussian.js";
export type { GaussianMeanOptions } from "./gaussian.js";
export { federatedLoss, federatedGrad, referenceSmoothness } from "./federated.js";
export { gram, gramMaxEigen, cholesky, choleskySolve, squaredNorm } from "./linalg.js";
