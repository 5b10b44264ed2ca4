// The sampler half of the pool page (test/federation/pool-browser.test.ts): federated chains whose
// clients are on Web Workers (webSamplerWorkers, stepped with `await chain.stepAsync()`), against
// the plain one-thread chain of the same page; the test compares all of it with Node's chains too.
import { webSamplerWorkers } from "../../../src/federation/pool/web-samplers.js";
import { encodeState, decodeState, sampleChain, sampleChainAsync, type Sample } from "../../../src/sampling/browser.js";
import { SAMPLER_CASES, SAMPLER_STEPS, SAMPLER_THREADS, SAVE_AT, SEED, digesting, fnv, samplerProblem, traceChain, type ChainTrace } from "./sampler-problem.js";

/** One chain run: threads 0 is the plain chain (no pool), 1 the pool without workers. */
export interface SamplerRun extends ChainTrace { name: string; threads: number }

export interface SamplerPageResult {
  runs: SamplerRun[];
  /** Web Workers made by webSamplerWorkers(2, 3) in the runs above */
  workersMade: number;
  /** resumed from a checkpoint saved with 3 threads at SAVE_AT: with 2 threads, and plain from the checkpoint's bytes */
  resumed: { two: ChainTrace; plainFromBytes: ChainTrace; workersMade: number };
  /** sampleChainAsync over 2 threads and sampleChain over the plain chain: [index, round, θ] */
  samples: { async: [number, number, number[]][]; sync: [number, number, number[]][] };
  /** the package's own worker (default factory, bundled by Vite): the first case with 2 threads */
  defaultFactory: ChainTrace;
  /** what chain.step() on a Web-Worker chain threw */
  syncStep: { code?: string; message: string };
}

const worker = () => new Worker(new URL("../../../src/federation/pool/web-worker.ts", import.meta.url), { type: "module" });
const digestOf = (bytes: Uint8Array) => fnv(2166136261, bytes);
const brief = (s: Sample): [number, number, number[]] => [s.index, s.round, Array.from(s.theta)];

export async function samplerPage(): Promise<SamplerPageResult> {
  let workersMade = 0;
  const makeWorker = () => { workersMade++; return worker(); };
  const runs: SamplerRun[] = [];
  for (const name of SAMPLER_CASES) {
    const alg = samplerProblem(name);
    const plain = alg.init({ seed: SEED });
    const ref = await traceChain(plain, SAMPLER_STEPS);
    runs.push({ name, threads: 0, ...ref, saved: digestOf(encodeState(plain.save())) });
    for (const threads of [1, ...SAMPLER_THREADS]) {
      const sink = { digest: 2166136261, messages: 0 };
      const chain = alg.init({ seed: SEED, parallel: digesting(webSamplerWorkers(threads, { makeWorker }), sink) });
      try {
        const t = await traceChain(chain, SAMPLER_STEPS);
        runs.push({ name, threads, ...t, ...sink, saved: digestOf(encodeState(await chain.saveAsync())) });
      } finally { chain.close?.(); }
    }
  }
  const made = workersMade;

  // a checkpoint saved with 3 threads, resumed with 2 (awaited) and, from its bytes, by a plain chain
  const alg = samplerProblem(SAMPLER_CASES[0]);
  workersMade = 0;
  const first = alg.init({ seed: SEED, parallel: webSamplerWorkers(3, { makeWorker }) });
  await traceChain(first, SAVE_AT);
  const saved = await first.saveAsync();
  first.close?.();
  const bytes = encodeState(saved);
  const two = alg.init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker }) });
  await two.loadAsync(saved);
  const resumedTwo = await traceChain(two, SAMPLER_STEPS - SAVE_AT);
  two.close?.();
  const plain = alg.init({ seed: SEED });
  plain.load(decodeState(bytes));
  const resumed = { two: resumedTwo, plainFromBytes: await traceChain(plain, SAMPLER_STEPS - SAVE_AT), workersMade };

  const o = { samples: 3, burnIn: 2, thin: 2 };
  const viaWorkers = alg.init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker }) });
  const asyncSamples: [number, number, number[]][] = [];
  let syncStep: SamplerPageResult["syncStep"] = { message: "step() did not throw" };
  try {
    try { viaWorkers.step(); } catch (e) { syncStep = { code: (e as { code?: string }).code, message: (e as Error).message }; }
    for await (const s of sampleChainAsync(viaWorkers, o)) asyncSamples.push(brief(s));
  } finally { viaWorkers.close?.(); }
  const syncSamples = [...sampleChain(alg.init({ seed: SEED }), o)].map(brief);

  const byDefault = alg.init({ seed: SEED, parallel: webSamplerWorkers(2) });
  let defaultFactory: ChainTrace;
  try { defaultFactory = await traceChain(byDefault, SAMPLER_STEPS); } finally { byDefault.close?.(); }

  return { runs, workersMade: made, resumed, samples: { async: asyncSamples, sync: syncSamples }, defaultFactory, syncStep };
}
