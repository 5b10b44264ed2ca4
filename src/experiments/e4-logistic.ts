// E4 Bayesian logistic regression (spec/experiments.md E4; QLSD, Vono et al. 2022, experiments): b clients with
// shifted features, Gaussian prior; the reference posterior is a long full-data MALA chain, against
// which every sampler's posterior mean and marginal variances are measured (with and without memory).
import { syntheticHeterogeneousLogistic, syntheticLogisticBayes } from "../data/index.js";
import { ready } from "../kernel/index.js";
import { logistic } from "../models/index.js";
import { simulate } from "../federation/simulator.js";
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/index.js";
import { bayesModel, clientPotential, findMode, gaussianPrior, mala, potentialGrad, type BayesModel, type MalaChain } from "../sampling/index.js";
import type { LogisticConfig } from "./e4-config.js";
import { pooledMoments, runMomentComparison, type E4RunOptions } from "./e4-moments.js";
import { initialPoint, runChains } from "./sampling-run.js";

export async function runE4Logistic(cfg: LogisticConfig, o: E4RunOptions) {
  await ready();
  const { clients: b, dim: d, perClient } = cfg.data;
  const clients = cfg.data.kind === "opposite"
    ? syntheticHeterogeneousLogistic({ workers: b, perWorker: perClient, seed: cfg.seed }).workers
    : syntheticLogisticBayes({ clients: b, dim: d, perClient, seed: cfg.seed }).clients;
  const model = bayesModel({ likelihood: logistic({ p: d }), prior: gaussianPrior(cfg.priorVariance), clients });
  const N = model.totalRows;
  const mode = cfg.mode.optimizer === "federated" ? federatedMode(model, clients, cfg) : { ...findMode(model), how: "findMode (full-batch Barzilai–Borwein descent on the pooled data)" };
  o.log?.(`mode θ* by ${mode.how}: ‖∇U(θ*)‖ = ${mode.gradNorm.toExponential(2)}`);
  const base = cfg.init.from === "mode" ? mode.theta : new Float64Array(d);
  let meanClientGrad = 0;
  for (let i = 0; i < b; i++) meanClientGrad += Math.hypot(...clientPotential(model, i).grad(mode.theta, new Float64Array(d))) / b;

  // the reference: long full-data MALA chains, checkpointed and resumable like the others
  const r = cfg.reference;
  const malaAlg = mala(model, { stepSize: r.stepSize, adapt: r.adapt });
  const refRun = runChains({ label: "MALA (reference)", slug: "mala-reference", algorithm: "mala", compressor: "—", build: () => malaAlg }, {
    out: o.out, cfg, resume: o.resume ?? false, fingerprint: JSON.stringify(cfg), progress: o.progress, algorithm: malaAlg,
    samples: r.samples, burnIn: Math.max(r.burnIn, r.adapt), thin: r.thin,
    init: (c) => initialPoint(mode.theta, cfg.init.jitter, cfg.seed, c), observers: () => [],
  });
  const ref = pooledMoments(refRun);
  // Monte-Carlo error of the reference mean itself: mean_j var_j / ESS_j — a floor under every MSE
  let floor = 0;
  for (let j = 0; j < d; j++) floor += ref.variance[j]! / refRun.diagnostics.ess[j]!;
  floor /= d;
  const acceptance = refRun.chains.map((c) => (c.final as MalaChain).acceptanceRate);
  const sizes = { data: cfg.data.kind, b, d, N_i: perClient, batch: cfg.batchSize, ℓ: cfg.refresh };
  return runMomentComparison("e4-logistic", cfg, model, { mean: ref.mean, variance: ref.variance, what: "MALA" }, {
    ...o, config: cfg, sizes, thetaStar: () => mode.theta, base,
    title: `E4 Bayesian logistic regression (${cfg.data.kind}): b=${b}, d=${d}, N_i=${perClient}`,
    intro: `Bayesian logistic regression on ${cfg.data.kind === "opposite" ? "syntheticHeterogeneousLogistic (two client types with opposite feature signs: strongly heterogeneous, ∇U_i(θ*) far from 0)" : "syntheticLogisticBayes (clients with shifted feature means sharing one label model)"}, b = ${b}, N = ${N}, prior N(0, ${cfg.priorVariance} I). ` +
      `Reference: ${cfg.chains} full-data MALA chain(s) of ${r.samples} kept samples (acceptance ${acceptance.map((a) => a.toFixed(3)).join(", ")}, min ESS ${refRun.diagnostics.minEss.toFixed(0)}, max split R̂ ${refRun.diagnostics.maxRhat.toFixed(4)}). ` +
      `γ = ${cfg.stepSize}, minibatch ${cfg.batchSize}, ℓ = ${cfg.refresh}; θ* for QLSD* by ${mode.how} (‖∇U(θ*)‖ = ${mode.gradNorm.toExponential(2)}).`,
    meta: { experiment: "e4-logistic", N, mode: Array.from(mode.theta), referenceMean: Array.from(ref.mean), referenceVariance: Array.from(ref.variance), referenceMeanMseFloor: floor },
    extraRows: [["MALA (reference)", "—", 0, 0, floor, floor, 0, refRun.diagnostics.minEss, refRun.diagnostics.maxRhat, refRun.stepsPerChain,
      Number(refRun.chains.reduce((s, c) => s + c.seconds, 0).toFixed(2))]],
    notes: [
      `Mean ‖∇U_i(θ*)‖ over clients: ${meanClientGrad.toPrecision(3)} — the heterogeneity that QLSD#'s compression cannot remove and QLSD++'s memory learns.`,
      `The reference is itself a Monte-Carlo estimate: its mean carries an MSE of about mean_j var_j/ESS_j = ${floor.toExponential(2)} (the MALA row), so sampler MSEs near that value are at the resolution of the comparison.`,
    ],
  });
}

/**
 * θ* by a federated optimiser (spec/langevin.md "QLSD*": "θ* may be computed by a federated optimiser"):
 * the algorithms' uncompressed "sgd" with full local gradients on F = (1/b) Σ_i F_i, F_i the mean
 * logistic loss of client i plus the ridge 1/(σ²N) — which is U/N when every client holds N/b rows.
 */
function federatedMode(model: BayesModel, clients: Dataset[], cfg: LogisticConfig): { theta: Float64Array; gradNorm: number; how: string } {
  const N = model.totalRows, b = clients.length, d = model.dim;
  if (clients.some((c) => c.n * b !== N)) throw new FedquantError("E_CONFIG", "mode.optimizer \"federated\" minimises (1/b) Σ F_i, which is U/N only when every client holds the same number of rows");
  const objective = logistic({ p: d, ridge: 1 / (cfg.priorVariance * N) });
  const L = Math.max(...clients.map((c) => objective.smoothness(c)));
  const res = simulate({ algorithm: "sgd", gamma: 1 / L, objective, workers: clients, iterations: cfg.mode.rounds, batchSize: "full", seed: cfg.seed, evalEvery: cfg.mode.rounds });
  const theta = res.finalW;
  const bits = res.bitsUp[res.bitsUp.length - 1]! / b;
  return { theta, gradNorm: Math.hypot(...potentialGrad(model, theta)), how: `federated full-batch GD (${cfg.mode.rounds} rounds of the algorithms' sgd, γ = 1/max L_i, ${bits} uplink bits per client)` };
}
