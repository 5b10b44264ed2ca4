// E4's shallow Bayesian net as the scaling studies run it (issue #13; spec/experiments.md E4):
// QLSD++ (QSGD s = 16, bucket 512, refresh every 100 steps) and SGLD chains over b = 100 clients
// of MNIST split by label (2 labels each), an MLP with 32 tanh units (d = 25,450), batch 10.
// `--quick`: 2,000 digits, b = 20, 20 steps. One definition for scaling.ts, server-share.ts and
// barrier-split.ts, so that they time the same work.
import { createCompressor } from "../src/compressors/index.js";
import { mnistDigits, sliceRows, splitByLabel } from "../src/data/index.js";
import { mlp, type MlpObjective } from "../src/models/index.js";
import { RandomStream } from "../src/random/index.js";
import { bayesModel, federatedSampler, gaussianPrior, type BayesModel } from "../src/sampling/index.js";

export interface E4Problem {
  /** the clients of this problem (all b, or this part's share) */
  b: number;
  steps: number;
  objective: MlpObjective;
  model: BayesModel;
  samplers: ReturnType<typeof federatedSampler>[];
}

/**
 * The E4 problem; with `part`, only the clients j with j mod part.of = part.index (the clients
 * the pool's thread `index` of `of` hosts), as a problem of its own.
 */
export function e4Problem(quick: boolean, part?: { index: number; of: number }): E4Problem {
  const count = quick ? 2000 : 10000, test = quick ? 400 : 2000, b = quick ? 20 : 100, steps = quick ? 20 : 100;
  const all = mnistDigits({ count, seed: 1 });
  let clients = splitByLabel(sliceRows(all, 0, count - test), b, 2, RandomStream.of(1, "data", 0xe4, 0));
  if (part) clients = clients.filter((_, j) => j % part.of === part.index);
  const objective = mlp({ p: all.p, hidden: 32, classes: 10, activation: "tanh" });
  const model = bayesModel({ likelihood: objective, prior: gaussianPrior(1), clients });
  const samplers = [
    federatedSampler(model, { algorithm: "qlsd++", stepSize: 1e-4, batchSize: 10, refresh: 100, compressor: createCompressor("qsgd", { s: 16, bucket: 512 }) }),
    federatedSampler(model, { algorithm: "sgld", stepSize: 1e-4, batchSize: 10 }),
  ];
  return { b: clients.length, steps, objective, model, samplers };
}
