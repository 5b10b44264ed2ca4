// The small sampler chains the browser pool test runs in a page and in Node alike: the Gaussian toy
// (a Gaussian-mean likelihood, flat prior: gradients are sums and products, no exp or log whose last
// bit could differ between engines) on 5 clients, with QSGD uplinks; partial participation and
// minibatches so every client stream is used, and QLSD++'s memory and refreshes within the run.
import { createCompressor } from "../../../src/compressors/index.js";
import { gaussianToy } from "../../../src/data/browser.js";
import { gaussianMean } from "../../../src/models/index.js";
import { bayesModel, federatedSampler, findMode, flatPrior, type AsyncRoundClientsFactory, type Chain, type SamplerParams } from "../../../src/sampling/browser.js";

export const SAMPLER_CASES = ["qlsd++ (memory, partial participation)", "qlsd*", "qlsd# (partial participation)"] as const;
export type SamplerCase = (typeof SAMPLER_CASES)[number];
export const SAMPLER_THREADS = [2, 3] as const;
export const SAMPLER_STEPS = 10;
/** where the checkpoint is taken in the resume check */
export const SAVE_AT = 4;
export const SEED = 11;

export function samplerProblem(name: SamplerCase): ReturnType<typeof federatedSampler> {
  const toy = gaussianToy({ clients: 5, dim: 3, perClient: 10, seed: 4 });
  const model = bayesModel({ likelihood: gaussianMean({ p: 3 }), prior: flatPrior(), clients: toy.clients });
  const qsgd = createCompressor("qsgd", { s: 4 });
  const params: Record<SamplerCase, SamplerParams> = {
    "qlsd++ (memory, partial participation)": { algorithm: "qlsd++", stepSize: 2e-3, batchSize: 4, compressor: qsgd, refresh: 3, participation: 3 },
    "qlsd*": { algorithm: "qlsd*", stepSize: 2e-3, batchSize: 4, compressor: qsgd, thetaStar: findMode(model).theta },
    "qlsd# (partial participation)": { algorithm: "qlsd#", stepSize: 2e-3, batchSize: 4, compressor: qsgd, participation: 3 },
  };
  return federatedSampler(model, params[name]);
}

/** What a chain run leaves to compare: every θ_k, every bit total, digests of the envelopes and checkpoint. */
export interface ChainTrace { thetas: number[][]; bits: unknown[]; digest?: number; messages?: number; saved?: number }

export async function traceChain(chain: Chain, steps: number, into: ChainTrace = { thetas: [], bits: [] }): Promise<ChainTrace> {
  for (let k = 0; k < steps; k++) {
    if (chain.stepAsync) await chain.stepAsync(); else chain.step();
    into.thetas.push(Array.from(chain.theta));
    into.bits.push({ ...chain.bits });
  }
  return into;
}

/** FNV-1a over bytes. */
export function fnv(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619) >>> 0;
  return h;
}

/**
 * The same clients, every envelope folded into `sink` on its way: the ids and bytes of the
 * downlinks (before they move to the workers), then of the uplinks, in the order given.
 */
export function digesting(inner: AsyncRoundClientsFactory, sink: { digest: number; messages: number }): AsyncRoundClientsFactory {
  const fold = (m: ReadonlyMap<number, Uint8Array>) => {
    for (const [id, bytes] of m) { sink.digest = fnv(fnv(sink.digest, Uint8Array.of(id & 255, id >>> 8)), bytes); sink.messages++; }
  };
  return (job) => {
    const c = inner(job);
    return { ...c, step: async (round, downlinks) => { fold(downlinks); const up = await c.step(round, downlinks); fold(up); return up; } };
  };
}
