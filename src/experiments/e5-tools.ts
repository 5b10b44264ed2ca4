// `fedquant e5 --split` and `fedquant e5 --central`: the two measurements docs/tfjs.md quotes
// beside the E5 run — the per-round time split at a compressor's settings (e5-split.ts) and the
// centralised test accuracy TF.js reaches on E5's split with its own optimizer (e5-central.ts).
import { FedquantError } from "../errors.js";
import { ready } from "../kernel/index.js";
import { tfjsObjective, useBackend, type TfBackend } from "../tfjs/index.js";
import { trainCentral } from "./e5-central.js";
import { E5_FULL } from "./e5-config.js";
import { buildCnn, e5Data, type E5Arch } from "./e5-model.js";
import { e5Split } from "./e5-split.js";
import { loadTf } from "./e5.js";

export interface E5ToolOptions {
  seed: number;
  backend: TfBackend | "auto";
  arch: E5Arch;
  /** "simd" (default) or "relaxed" (fedquant's opt-in relaxed-SIMD kernel) */
  kernel?: "simd" | "relaxed";
  log: (line: string) => void;
}

async function setup(o: E5ToolOptions) {
  await ready(o.kernel === "relaxed" ? { flavour: "relaxed" } : {});
  const tf = await loadTf();
  const backend = await useBackend(o.backend);
  const data = e5Data(E5_FULL, o.seed);
  const model = buildCnn(tf, o.seed, o.arch);
  return { tf, backend, data, model };
}

const f = (x: number | undefined, digits = 2) => x === undefined ? "—" : x.toFixed(digits);

/** Prints the split for each batch size and compressor given (DoStoVoQ's defaults unless params are given). */
export async function runE5Split(o: E5ToolOptions & { rounds: number; batches: number[]; compressors: { name: string; params: Record<string, unknown> }[] }): Promise<void> {
  const { backend, data, model } = await setup(o);
  const obj = tfjsObjective(model), w0 = obj.weights();
  o.log(`E5 time split: CNN "${o.arch}" (D = ${obj.dim}) on TF.js/${backend}, fedquant kernel ${o.kernel ?? "simd"}, ${data.clients.length} clients, ${o.rounds} rounds; CPU ms per client per round (aggregate: per round)`);
  o.log("batch | compressor | gradient | encode (codebook, search) | decode | aggregate | compression share | uplink bits");
  // warm-up: TF.js kernels, the engine's optimising tier, the radial-bias tables
  for (const c of o.compressors) e5Split(obj, data, w0, { rounds: 1, batch: o.batches[0]!, seed: o.seed, compressor: c });
  for (const batch of o.batches) {
    for (const c of o.compressors) {
      const s = e5Split(obj, data, w0, { rounds: o.rounds, batch, seed: o.seed, compressor: c });
      o.log(`${batch} | ${c.name} ${JSON.stringify(c.params)} | ${f(s.gradient)} | ${f(s.encode)} (${f(s.codebook)}, ${f(s.search)}) | ${f(s.decode)} | ${f(s.aggregate)} | ${(100 * s.share).toFixed(1)} % | ${s.uplinkBits.toFixed(0)}`);
    }
  }
}

export async function runE5Central(o: E5ToolOptions & { optimizer: "adam" | "sgd"; lr: number; decay: number; batch: number; epochs: number }): Promise<number[]> {
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1 && Number.isInteger(o.batch) && o.batch >= 1 && o.lr > 0)) {
    throw new FedquantError("E_CONFIG", `e5 --central: epochs and batch must be integers ≥ 1 and lr > 0, got ${o.epochs}, ${o.batch}, ${o.lr}`);
  }
  const { tf, backend, data, model } = await setup(o);
  o.log(`E5 centralised: CNN "${o.arch}" (D = ${model.countParams()}) on TF.js/${backend}, ${o.optimizer}(${o.lr}${o.decay !== 1 ? ` × ${o.decay}^(epoch − 1)` : ""}), batch ${o.batch}, ${data.train.n} training / ${data.test.n} test digits`);
  const r = trainCentral(tf, model, data.train, data.test, {
    optimizer: o.optimizer, lr: o.lr, decay: o.decay, batch: o.batch, epochs: o.epochs, seed: o.seed,
    onEpoch: (e) => o.log(`epoch ${e.epoch}: test accuracy ${(100 * e.accuracy).toFixed(2)} %, ${e.cpuSeconds.toFixed(1)} CPU s`),
  });
  return r.accuracy;
}
