// E4 shallow Bayesian neural network on MNIST digits (spec/experiments.md E4): the 10,000 digits of
// the `mnist` package, a held-out test set, the rest split over b clients (k digit classes each), a
// one-hidden-layer MLP with a Gaussian prior. QLSD++ against uncompressed Langevin (SGLD) and a
// non-Bayesian baseline (federated SGD on U/N, which also gives the chains their starting point);
// scored by the Monte-Carlo predictive's accuracy, NLL, Brier score, ECE and entropy.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { mnistDigits, sliceRows, splitByLabel } from "../data/index.js";
import { simulate } from "../federation/simulator.js";
import { ready } from "../kernel/index.js";
import { initMlp, mlp } from "../models/index.js";
import { RandomStream } from "../random/index.js";
import type { Table } from "../report/index.js";
import { bayesModel, calibrationBins, classificationMetrics, classLabels, decodeState, encodeState, gaussianPrior } from "../sampling/index.js";
import { readIfExists, writeAtomic } from "../sampling/checkpoint-node.js";
import type { BnnConfig } from "./e4-config.js";
import type { E4RunOptions } from "./e4-moments.js";
import { calibrationFigure, footnoteFor, lineFigure, traceTable, writeE4Report, type TraceSeries } from "./e4-report.js";
import { initialPoint, runChains, samplerRuns, type RunOutcome } from "./sampling-run.js";
import { mixingCell, RHAT_MIXED, trackedMixing } from "./e4-mixing.js";
import { PredictiveTrace } from "./traces.js";

/** The data stream tag of E4's client split (src/data/streams.ts tags are below 0x100). */
const SPLIT_TAG = 0xe4;

export async function runE4Bnn(cfg: BnnConfig, o: E4RunOptions) {
  await ready();
  const { count, test: nTest, clients: b, labelsPerClient } = cfg.data;
  const all = mnistDigits({ count, seed: cfg.seed });
  const train = sliceRows(all, 0, count - nTest), test = sliceRows(all, count - nTest, count);
  const clients = splitByLabel(train, b, labelsPerClient, RandomStream.of(cfg.seed, "data", SPLIT_TAG, 0));
  const obj = mlp({ p: all.p, hidden: cfg.model.hidden, classes: 10, activation: cfg.model.activation });
  const model = bayesModel({ likelihood: obj, prior: gaussianPrior(cfg.priorVariance), clients });
  const N = model.totalRows, d = model.dim;
  const labels = classLabels(obj.name, test.y, 10);
  const fingerprint = JSON.stringify(cfg);

  // non-Bayesian baseline: federated SGD (uncompressed, the algorithms' "sgd") on F = (1/b) Σ F_i with
  // ridge 1/(σ²N), which is U/N when the clients hold equal shares; cached so a resumed run reuses it
  mkdirSync(o.out, { recursive: true });
  const sgdPath = join(o.out, "sgd.state");
  let wSgd: Float64Array, sgdBitsPerStep: number, sgdSeconds = 0;
  const cached = o.resume && existsSync(sgdPath) ? decodeState(readIfExists(sgdPath)!) : undefined;
  if (cached && cached.fingerprint === fingerprint) {
    wSgd = cached.w as Float64Array; sgdBitsPerStep = cached.bitsPerStep as number; sgdSeconds = (cached.seconds as number | undefined) ?? 0;
  } else {
    const bar = o.progress?.("SGD (baseline, start)", cfg.sgd.rounds);
    const t0 = performance.now();
    const res = simulate({
      algorithm: "sgd", gamma: cfg.sgd.stepSize, objective: mlp({ p: all.p, hidden: cfg.model.hidden, classes: 10, activation: cfg.model.activation, ridge: 1 / (cfg.priorVariance * N) }),
      workers: clients, iterations: cfg.sgd.rounds, batchSize: cfg.sgd.batchSize, seed: cfg.seed,
      w0: initMlp(obj, RandomStream.of(cfg.seed, "init", 0, 0)), evalEvery: cfg.sgd.rounds, onIteration: () => bar?.tick(), threads: o.threads,
    });
    bar?.stop();
    sgdSeconds = (performance.now() - t0) / 1000;
    wSgd = res.finalW;
    sgdBitsPerStep = res.bitsUp[res.bitsUp.length - 1]! / (cfg.sgd.rounds * b);
    writeAtomic(sgdPath, encodeState({ fingerprint, w: wSgd, bitsPerStep: sgdBitsPerStep, seconds: sgdSeconds }));
  }
  const sgdProbs = obj.predictProba(wSgd, test);
  const sgdMetrics = classificationMetrics(sgdProbs, labels, 10, cfg.calibrationBins);
  o.log?.(`SGD baseline: test accuracy ${sgdMetrics.accuracy.toFixed(4)}`);

  const base = cfg.init.from === "sgd" ? wSgd : new Float64Array(d);
  // ESS / R̂ on output-layer weights: many input weights multiply pixels that are 0 in every digit,
  // so the likelihood ignores them and they only random-walk under the prior (relaxation time 1/γ)
  const coords = Array.from({ length: Math.min(d - obj.layout.w2, cfg.diagnosticCoordinates) }, (_, j) => obj.layout.w2 + j);
  const outcomes: RunOutcome[] = [];
  for (const run of samplerRuns(cfg, model)) {
    outcomes.push(runChains(run, {
      out: o.out, cfg, resume: o.resume ?? false, fingerprint, progress: o.progress, threads: o.threads,
      init: (c) => initialPoint(base, cfg.init.jitter, cfg.seed, c),
      observers: () => [new PredictiveTrace(obj, test, cfg.traceEvery, b, cfg.calibrationBins)], coords,
    }));
  }

  // the predictive of a sampler: the average over its chains (equal sample counts) of each chain's average
  const pooled = (r: RunOutcome) => {
    const p = new Float64Array(test.n * 10);
    for (const c of r.chains) { const q = (c.observers[0] as PredictiveTrace).acc.probs(); for (let i = 0; i < p.length; i++) p[i] += q[i]! / r.chains.length; }
    return p;
  };
  // R̂ / ESS of the per-draw accuracy, NLL and ECE: what qualifies the scores of the table
  const mixing = outcomes.map((r) => trackedMixing(r.chains.map((c) => c.samplesPath), obj, test, labels, 10, cfg.calibrationBins));
  const rows: (string | number)[][] = [];
  const calib = [{ label: "SGD (non-Bayesian)", bins: calibrationBins(sgdProbs, labels, 10, cfg.calibrationBins) }];
  const m0 = sgdMetrics;
  rows.push(["SGD (non-Bayesian)", "identity", sgdBitsPerStep, m0.accuracy, m0.nll, m0.brier, m0.ece, m0.entropy, "(point estimate)", 1, cfg.sgd.rounds, Number(sgdSeconds.toFixed(2))]);
  for (const [i, r] of outcomes.entries()) {
    const p = pooled(r), m = classificationMetrics(p, labels, 10, cfg.calibrationBins);
    const bits = r.chains[0]!.bits;
    calib.push({ label: r.run.label, bins: calibrationBins(p, labels, 10, cfg.calibrationBins) });
    rows.push([r.run.label, r.run.compressor, bits.upPayload / bits.messages, m.accuracy, m.nll, m.brier, m.ece, m.entropy, mixingCell(mixing[i]!),
      r.chains.reduce((s, c) => s + c.welford.count, 0), r.stepsPerChain, Number(r.chains.reduce((s, c) => s + c.seconds, 0).toFixed(2))]);
  }
  const summary: Table = {
    columns: ["method", "compressor", "bits/client/step (payload)", "test accuracy", "test NLL", "Brier", "ECE", "predictive entropy", "mixing (split R̂ of per-draw acc / NLL / ECE)", "samples (all chains)", "steps/chain", "seconds"],
    rows,
  };
  const diag: Table = {
    columns: ["sampler", "chains", "R̂ accuracy", "R̂ NLL", "R̂ ECE", "ESS accuracy", "ESS NLL", "ESS ECE", `min ESS (${coords.length} output-layer weights)`, "max split R̂ (weights)", "bits/client/step (wire)"],
    rows: outcomes.map((r, i) => {
      const x = mixing[i]!;
      return [r.run.label, r.chains.length, x.rhat.accuracy, x.rhat.nll, x.rhat.ece, x.ess.accuracy, x.ess.nll, x.ess.ece, r.diagnostics.minEss, r.diagnostics.maxRhat, r.chains[0]!.bits.upTotal / r.chains[0]!.bits.messages];
    }),
  };
  const series: TraceSeries[] = outcomes.map((r) => ({ label: r.run.label, traces: r.chains.map((c) => (c.observers[0] as PredictiveTrace).rows) }));
  const sizes = { b, d, N, test: test.n, hidden: cfg.model.hidden, batch: cfg.batchSize, "labels/client": labelsPerClient };
  const footnote = footnoteFor(cfg.seed, cfg.chains, sizes);
  const title = `E4 Bayesian MLP on MNIST digits: b=${b}, hidden ${cfg.model.hidden}`;
  const figures = [
    await calibrationFigure("calibration.svg", title, calib, footnote),
    await lineFigure("nll-vs-iterations.svg", "test NLL of the running Monte-Carlo predictive against iterations", title, series, "nll", "round", "test NLL", footnote, false),
    await lineFigure("nll-vs-bits.svg", "test NLL of the running Monte-Carlo predictive against uplink bits per client", title, series, "nll", "bits", "test NLL", footnote, false),
    await lineFigure("accuracy-vs-iterations.svg", "test accuracy of the running Monte-Carlo predictive against iterations", title, series, "accuracy", "round", "test accuracy", footnote, false),
  ];
  return {
    ...await writeE4Report(o.out, "e4-bnn", {
      title, config: cfg, summary, figures, extraTables: [{ heading: "Mixing diagnostics", table: diag }],
      traces: traceTable(series, ["accuracy", "nll", "brier", "ece", "entropy"]),
      intro: `MNIST digits of the mnist package: ${N} training digits split over ${b} clients (${labelsPerClient} digit classes each), ${test.n} held-out test digits. ` +
        `One-hidden-layer MLP (${cfg.model.hidden} ${cfg.model.activation} units, d = ${d}), prior N(0, ${cfg.priorVariance} I). ` +
        `SGD: federated SGD on U/N, ${cfg.sgd.rounds} rounds, minibatch ${cfg.sgd.batchSize}, learning rate ${cfg.sgd.stepSize}; the chains start from its weights${cfg.init.jitter ? ` + ${cfg.init.jitter}·N(0, I)` : ""}. ` +
        `Samplers: γ = ${cfg.stepSize}, minibatch ${cfg.batchSize}, ℓ = ${cfg.refresh}, ${cfg.samples} kept samples per chain after ${cfg.burnIn} burn-in steps, thinning ${cfg.thin}.`,
      meta: { experiment: "e4-bnn", N, dim: d, sgdTestMetrics: sgdMetrics, mixing: outcomes.map((r, i) => ({ sampler: r.run.label, ...mixing[i]! })) },
      notes: [
        "ECE: 10 equal-width bins of the top-class confidence (Guo et al. 2017); Brier: Σ over the 10 classes, averaged over digits; NLL and entropy in nats.",
        `Mixing: split R̂ (Gelman et al., BDA3) over ${cfg.chains} chain(s), each cut in halves, of the per-draw test accuracy, NLL and ECE — the quantities reported. A row is marked NOT MIXED when any of them is ≥ ${RHAT_MIXED}: its scores are then short-run numbers around the SGD solution, not posterior ones. Weight-level R̂ (non-identifiable: permuted hidden units predict the same) is shown for completeness.`,
        "Every sampler of a run draws its Langevin noise from the same streams (common random numbers): differences between samplers come from their gradient estimates and compression, not from the noise.",
      ],
    }),
    outcomes,
  };
}
