// Small models shared by the sampling tests (reduced sizes of E4's problems, fixed seeds).
import { gaussianToy, syntheticLogisticBayes } from "../../src/data/index.js";
import { gaussianMean, logistic } from "../../src/models/index.js";
import { bayesModel, flatPrior, gaussianPrior, type BayesModel } from "../../src/sampling/index.js";

export function toyModel(clients: number, dim: number, perClient: number, seed: number) {
  const toy = gaussianToy({ clients, dim, perClient, seed });
  const model = bayesModel({ likelihood: gaussianMean({ p: dim }), prior: flatPrior(), clients: toy.clients });
  return { toy, model };
}

export function logisticModel(clients: number, perClient: number, seed: number): BayesModel {
  const data = syntheticLogisticBayes({ clients, dim: 2, perClient, seed });
  return bayesModel({ likelihood: logistic({ p: 2 }), prior: gaussianPrior(10), clients: data.clients });
}

export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return s / a.length;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}
