// Experiment E5 (issue #12): federated training of a TF.js CNN on MNIST through fedquant/tfjs —
// 20 non-iid clients, SGD and QSGD / DIANA / Artemis / MCM with QSGD and DoStoVoQ, test accuracy
// against rounds and bits, bits to reach 95 %, the per-round time split, and the bucket-norm
// histogram of the CNN's gradients against Gaussian vectors with r_M (e5-buckets.ts).
// TF.js is loaded on demand (it is an optional peer dependency of fedquant).
import { FedquantError } from "../errors.js";
import { ready } from "../kernel/index.js";
import type { Table } from "../report/index.js";
import { lineChartSvg } from "../report/index.js";
import { tfjsObjective, useBackend, type TfBackend } from "../tfjs/index.js";
import { bucketNorms, BUCKET_D, BUCKET_M, gaussianNorms, histogram, quantile, radialRatio } from "./e5-buckets.js";
import { E5_ALGORITHMS, E5_COMPRESSORS, E5_FULL, E5_GAMMA, E5_QUICK, E5_TARGET_ACCURACY, type E5Size } from "./e5-config.js";
import { buildCnn, e5Data, type E5Arch } from "./e5-model.js";
import { accuracyFigures, footnote, writeE5Report, type Figure } from "./e5-report.js";
import { runE5Algorithm, type E5Trace } from "./e5-run.js";

export interface E5Options {
  quick?: boolean;
  seed?: number;
  backend?: TfBackend | "auto";
  /** run only the algorithms whose label contains one of these strings */
  only?: string[];
  /** the CNN (e5-model.ts; default "small", the network of the recorded results) */
  arch?: E5Arch;
  /** override the size's minibatch per client and rounds */
  batch?: number;
  rounds?: number;
  out: string;
  log?: (line: string) => void;
}

/** @tensorflow/tfjs (cpu + webgl backends, layers) and the wasm backend, or an E_CONFIG saying what to install. */
export async function loadTf(): Promise<typeof import("@tensorflow/tfjs")> {
  try {
    const tf = await import("@tensorflow/tfjs");
    await import("@tensorflow/tfjs-backend-wasm");
    return tf;
  } catch (e) {
    throw new FedquantError("E_CONFIG", `E5 needs TF.js: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm (${(e as Error).message})`, { cause: e });
  }
}

export async function runE5(o: E5Options): Promise<{ files: string[]; summary: string; traces: E5Trace[]; wallSeconds: number }> {
  const t0 = performance.now();
  const base: E5Size = o.quick ? E5_QUICK : E5_FULL;
  const size: E5Size = { ...base, batch: o.batch ?? base.batch, rounds: o.rounds ?? base.rounds };
  const arch = o.arch ?? "small";
  const seed = o.seed ?? 1;
  const log = o.log ?? (() => {});
  await ready();
  const tf = await loadTf();
  const backend = await useBackend(o.backend ?? "auto");
  const data = e5Data(size, seed);
  const model = buildCnn(tf, seed, arch);
  const obj = tfjsObjective(model);
  const w0 = obj.weights();
  log(`E5: CNN with D = ${obj.dim} weights on TF.js/${backend}; ${data.train.n} training digits on ${size.clients} clients, ${data.test.n} test digits`);

  // warm up TF.js's kernels and the engine's JIT so the first algorithm's times are not inflated
  for (let i = 0; i < 3; i++) obj.grad(w0, data.clients[0]!, new Float64Array(obj.dim), Uint32Array.from({ length: Math.min(size.batch, data.clients[0]!.n) }, (_, j) => j));

  const algos = E5_ALGORITHMS.filter((a) => !o.only?.length || o.only.some((s) => a.label.includes(s)));
  if (algos.length === 0) throw new FedquantError("E_CONFIG", `e5: --only matches no algorithm (labels: ${E5_ALGORITHMS.map((a) => a.label).join(", ")})`);
  const traces: E5Trace[] = [];
  for (const a of algos) {
    const ta = performance.now();
    const tr = runE5Algorithm(a, obj, data.clients, data.test, w0, size, seed);
    traces.push(tr);
    log(`  ${a.label.padEnd(22)} accuracy ${(100 * tr.accuracy[tr.accuracy.length - 1]!).toFixed(2)} %${tr.diverged !== undefined ? ` (diverged at round ${tr.diverged})` : ""}, ` +
      `ms/round: gradient ${tr.ms.gradient.toFixed(0)}, client ${tr.ms.client.toFixed(0)}, server ${tr.ms.server.toFixed(0)} (${((performance.now() - ta) / 1000).toFixed(0)} s)`);
  }

  // bucket norms of real gradients: every client's minibatch gradient at w0 and at SGD's final model
  const gradsAt = (w: Float64Array) => data.clients.flatMap((d) => {
    const rows = Array.from({ length: Math.min(d.n, 64) }, (_, i) => i);
    return bucketNorms(obj.grad(w, d, new Float64Array(obj.dim), rows));
  });
  const initNorms = gradsAt(w0);
  const sgd = traces.find((t) => t.algorithm === "sgd" && t.finalW);
  const trainedNorms = sgd ? gradsAt(sgd.finalW!) : [];
  const gauss = gaussianNorms(20_000, seed);
  const top = Math.max(quantile(initNorms, 0.995), quantile(gauss, 0.999), trainedNorms.length ? quantile(trainedNorms, 0.995) : 0);
  const bins = 48;
  const hInit = histogram(initNorms, top, bins), hGauss = histogram(gauss, top, bins);
  const hTrained = trainedNorms.length ? histogram(trainedNorms, top, bins) : undefined;
  const ratio = radialRatio(hGauss.centers);
  const note = footnote(seed, size, backend, obj.dim);
  const figures: Figure[] = await accuracyFigures(traces, note);
  figures.push({
    file: "e5-bucket-norms.svg", heading: `norms of the CNN's gradient buckets (d = ${BUCKET_D}, normalised by √D/‖g‖) against ‖z‖, z ~ N(0, I_${BUCKET_D}), with r_M(ρ)/ρ`,
    svg: await lineChartSvg({
      title: "gradient buckets of the CNN against Gaussian vectors", subtitle: `density of the bucket norm ρ; r_M(ρ)/ρ for M = 2^${Math.log2(BUCKET_M)}, α = 1`,
      xLabel: "ρ (bucket norm after DoStoVoQ's normalisation)", yLabel: "density / ratio",
      series: [
        { label: "CNN gradients at w0", x: hInit.centers, y: hInit.density },
        ...(hTrained ? [{ label: "CNN gradients after SGD", x: hTrained.centers, y: hTrained.density }] : []),
        { label: `N(0, I_${BUCKET_D}) (χ_${BUCKET_D})`, x: hGauss.centers, y: hGauss.density, dashed: true },
        { label: "r_M(ρ)/ρ", x: hGauss.centers, y: ratio, dashed: true },
      ],
      footnote: note,
    }),
  });
  const qs = [0.1, 0.5, 0.9, 0.99];
  const bucketTable: Table = {
    columns: ["vectors", "buckets", ...qs.map((q) => `rho_q${100 * q}`), "mean_rho2", "r_M/rho_at_median"],
    rows: [["CNN gradients at w0", initNorms], ["CNN gradients after SGD", trainedNorms], [`N(0, I_${BUCKET_D})`, gauss]]
      .filter(([, v]) => (v as number[]).length > 0)
      .map(([name, v]) => {
        const vals = v as number[], med = quantile(vals, 0.5);
        return [name as string, vals.length, ...qs.map((q) => Number(quantile(vals, q).toFixed(3))),
          Number((vals.reduce((s, x) => s + x * x, 0) / vals.length).toFixed(3)), Number(radialRatio([med])[0]!.toFixed(3))];
      }),
  };

  const wallSeconds = (performance.now() - t0) / 1000;
  const config = { size, seed, gamma: E5_GAMMA, compressors: E5_COMPRESSORS, algorithms: algos, backend, dim: obj.dim, arch, model: arch === "wide" ? "conv3x3 ×16 → maxpool 2 → conv3x3 ×32 → maxpool 2 → dense 10" : "conv5x5/2 ×8 → conv3x3/2 ×16 → dense 10", target: E5_TARGET_ACCURACY };
  const { files, summary } = await writeE5Report({
    dir: o.out, title: `E5 — federated CNN on MNIST with TF.js${o.quick ? " (quick)" : ""}`,
    intro: `A TF.js CNN (D = ${obj.dim}) trained through fedquant/tfjs by ${size.clients} clients holding ${size.labelsPerClient} digit labels each (${data.train.n} training digits, ${data.test.n} test digits), ` +
      `${size.rounds} rounds of minibatch ${size.batch} per client, γ = ${E5_GAMMA}. Bits are payload bits of the real envelopes, all clients. Times are CPU ms per round on TF.js's ${backend} backend.`,
    config, meta: { experiment: "e5", seed, quick: !!o.quick, backend, wallSeconds },
    traces, figures,
    extraTables: [{ heading: "bucket norms (quantiles) of real gradients and Gaussian vectors", name: "e5-buckets", table: bucketTable }],
    notes: [
      `Compression share = (client + server fedquant time) / (gradient + client + server), per round. Client = decode the downlink and encode the uplink; server = decode ${size.clients} uplinks, aggregate, encode the downlink.`,
      `With identity compressors a federated run equals TF.js's own centralised minibatch SGD on the same batches (test/tfjs/objective.test.ts).`,
      `Wall time of this run: ${wallSeconds.toFixed(0)} s.`,
    ],
  });
  return { files, summary, traces, wallSeconds };
}
