// Bytes per simulated client of the federated samplers (issue #13, item 3), for the memory table
// of `npm run scaling -- --case memory` (docs/scaling.md). Their gradient oracles keep their state
// (QLSD++'s ζ and ∇U_i(ζ)) in closures, which an object walk cannot see, so this measures what V8
// itself counts: process.memoryUsage().arrayBuffers after full collections, before the chain is
// made and after three steps (lazily allocated state included), with 4 and with 12 clients at
// D = 2^18 (2 MiB per float64 vector, so a stray small buffer is below the resolution). The
// clients' data exist before the first reading: they are not counted.
import { createCompressor } from "../src/compressors/index.js";
import { gaussianMean } from "../src/models/index.js";
import { bayesModel, federatedSampler, gaussianPrior, type SamplerParams } from "../src/sampling/index.js";

export interface SamplerMemory { sampler: string; clientBytesPerCoord: number; fixedBytesPerCoord: number; maxClientsTimesD: number }

const D = 1 << 18;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("the sampler memory table needs node --expose-gc (npm run scaling passes it)");
  gc(); gc();
  return process.memoryUsage().arrayBuffers;
}

/** ArrayBuffer bytes a chain of N clients holds after three steps, its clients' data excluded. */
function chainBytes(params: SamplerParams, N: number): number {
  const clients = Array.from({ length: N }, (_, i) => ({ n: 1, p: D, X: Float64Array.from({ length: D }, (_, j) => Math.sin(i + j)), y: new Float64Array(1) }));
  const sampler = federatedSampler(bayesModel({ likelihood: gaussianMean({ p: D }), prior: gaussianPrior(1), clients }), params);
  const before = collect();
  const chain = sampler.init({ seed: 1 });
  for (let k = 0; k < 3; k++) chain.step();
  const after = collect();
  if (!(chain.theta.length === D)) throw new Error("unreachable: keeps the chain alive until after the reading");
  return after - before;
}

export function samplerMemory(): SamplerMemory[] {
  const qsgd = () => createCompressor("qsgd", { s: 16, bucket: 512 });
  const cases: [string, SamplerParams][] = [
    ["lsd", { algorithm: "lsd", stepSize: 1e-4 }],
    ["sgld", { algorithm: "sgld", stepSize: 1e-4, batchSize: 1 }],
    ["qlsd#", { algorithm: "qlsd#", stepSize: 1e-4, batchSize: 1, compressor: qsgd() }],
    ["qlsd*", { algorithm: "qlsd*", stepSize: 1e-4, batchSize: 1, compressor: qsgd(), thetaStar: new Float64Array(D) }],
    ["qlsd++", { algorithm: "qlsd++", stepSize: 1e-4, batchSize: 1, compressor: qsgd(), refresh: 2 }],
    ["qlsd++ without memory", { algorithm: "qlsd++", stepSize: 1e-4, batchSize: 1, compressor: qsgd(), refresh: 2, memory: false }],
  ];
  chainBytes(cases[0]![1], 4); // warm-up: the shared per-dimension scratch and the kernel's buffers
  // the median of three readings each: a buffer V8 frees late (or the kernel's memory growing by
  // a page) moves one reading by about a MiB, i.e. 0.5 byte per client and coordinate here
  const median3 = (f: () => number) => [f(), f(), f()].sort((x, y) => x - y)[1]!;
  return cases.map(([sampler, params]) => {
    const a = median3(() => chainBytes(params, 4)), b = median3(() => chainBytes(params, 12));
    const perClient = (b - a) / 8 / D;
    return { sampler, clientBytesPerCoord: perClient, fixedBytesPerCoord: a / D - 4 * perClient, maxClientsTimesD: Math.floor((24 * 2 ** 30) / perClient) };
  });
}
