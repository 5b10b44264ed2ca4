// The awaited federated chain (stepAsync, saveAsync, loadAsync, sampleChainAsync) with its clients
// on Web-Worker-like workers, in Node: each fake worker runs the real worker code (serve.ts) in
// this process behind structured clones with transfers (as postMessage does) and replies after a
// delay that makes later workers answer first, so gathering in client order is exercised. The
// reference is the plain one-thread chain (step(), save()), never the pool's own output.
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { serveClients } from "../../src/federation/pool/serve.js";
import type { WorkerLike } from "../../src/federation/pool/web-pool.js";
import { webSamplerWorkers } from "../../src/federation/pool/web-samplers.js";
import type { Request } from "../../src/federation/pool/protocol.js";
import { ready } from "../../src/kernel/index.js";
import { sampleChain, sampleChainAsync } from "../../src/sampling/index.js";
import { SAMPLER_CASES, SAVE_AT, SEED, SAMPLER_STEPS, digesting, samplerProblem, traceChain, type ChainTrace } from "../federation/pool-web/sampler-problem.js";

await ready();

/** A worker running serve.ts here; messages are structured-cloned (buffers in `transfer` move). */
function fakeWorkers(): { make: () => WorkerLike; made: () => number; live: () => number } {
  let made = 0, live = 0;
  const make = (): WorkerLike => {
    // worker n answers after (8 − n) ms: the last-made worker's replies arrive first
    const delay = Math.max(0, 8 - 2 * made++);
    live++;
    let terminated = false;
    const w: WorkerLike = {
      onmessage: null, onerror: null,
      postMessage(m, transfer) {
        const copy = structuredClone(m, { transfer }) as Request;
        setTimeout(() => { if (!terminated) handle(copy); }, delay);
      },
      terminate() { if (!terminated) { terminated = true; live--; } },
    };
    const handle = serveClients((r, transfer) => {
      const copy = structuredClone(r, { transfer });
      setTimeout(() => { if (!terminated) w.onmessage?.({ data: copy } as MessageEvent); }, delay);
    });
    return w;
  };
  return { make, made: () => made, live: () => live };
}

function sameFloats(a: readonly number[], b: readonly number[], what: string): void {
  expect(b.length, what).toBe(a.length);
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) expect.fail(`${what} differs at ${j}: ${a[j]} vs ${b[j]}`);
}

function sameTrace(a: ChainTrace, b: ChainTrace, what: string): void {
  expect(b.thetas.length, what).toBe(a.thetas.length);
  a.thetas.forEach((th, k) => sameFloats(th, b.thetas[k]!, `${what}: θ_${k + 1}`));
  expect(b.bits, `${what}: bits`).toEqual(a.bits);
}

describe("a federated chain whose clients are on Web Workers, awaited", () => {
  it.each(SAMPLER_CASES)("%s: 2 and 3 threads give the one-thread chain bit for bit (θ, bits, envelopes, checkpoint)", async (name) => {
    const alg = samplerProblem(name);
    const ref = alg.init({ seed: SEED });
    const a = await traceChain(ref, SAMPLER_STEPS);
    // the envelopes of the one-thread pool (no worker): the reference for the digests
    const one = { digest: 2166136261, messages: 0 };
    const c1 = alg.init({ seed: SEED, parallel: digesting(webSamplerWorkers(1), one) });
    sameTrace(a, await traceChain(c1, SAMPLER_STEPS), "1 thread");
    c1.close?.();
    expect(one.messages).toBeGreaterThan(0);
    for (const T of [2, 3]) {
      const w = fakeWorkers(), sink = { digest: 2166136261, messages: 0 };
      const chain = alg.init({ seed: SEED, parallel: digesting(webSamplerWorkers(T, { makeWorker: w.make }), sink) });
      try {
        sameTrace(a, await traceChain(chain, SAMPLER_STEPS), `${T} threads`);
        expect(sink, `${T} threads: envelopes`).toEqual(one);
        expect(await chain.saveAsync()).toEqual(ref.save());
        expect(w.made()).toBe(T - 1);
      } finally { chain.close?.(); }
      await new Promise((r) => setTimeout(r, 0));
      expect(w.live(), "close() terminates every worker").toBe(0);
    }
  });

  it("a checkpoint saved (awaited) with 3 threads resumes with 2 threads and with one on the uninterrupted trajectory", async () => {
    const alg = samplerProblem(SAMPLER_CASES[0]);
    const full = await traceChain(alg.init({ seed: SEED }), SAMPLER_STEPS);
    const first = alg.init({ seed: SEED, parallel: webSamplerWorkers(3, { makeWorker: fakeWorkers().make }) });
    await traceChain(first, SAVE_AT);
    const saved = await first.saveAsync();
    first.close?.();
    const rest: ChainTrace = { thetas: full.thetas.slice(SAVE_AT), bits: full.bits.slice(SAVE_AT) };
    const two = alg.init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker: fakeWorkers().make }) });
    await two.loadAsync(saved);
    sameTrace(rest, await traceChain(two, SAMPLER_STEPS - SAVE_AT), "resumed with 2 threads");
    two.close?.();
    const plain = alg.init({ seed: SEED });
    plain.load(saved);
    sameTrace(rest, await traceChain(plain, SAMPLER_STEPS - SAVE_AT), "resumed with one thread");
  });

  it("sampleChainAsync yields sampleChain's samples (burn-in, thinning) from a Web-Worker chain", async () => {
    const alg = samplerProblem(SAMPLER_CASES[2]);
    const want = [...sampleChain(alg.init({ seed: SEED }), { samples: 3, burnIn: 2, thin: 2 })];
    const chain = alg.init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker: fakeWorkers().make }) });
    const got = [];
    for await (const s of sampleChainAsync(chain, { samples: 3, burnIn: 2, thin: 2 })) got.push(s);
    chain.close?.();
    expect(got.map((s) => [s.index, s.round])).toEqual([[0, 4], [1, 6], [2, 8]]);
    expect(got).toEqual(want);
  });

  it("step(), save() and load() of a Web-Worker chain are refused with E_CONFIG naming the awaited method", async () => {
    const chain = alg0().init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker: fakeWorkers().make }) });
    try {
      expect(() => chain.step()).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/await chain\.stepAsync\(\)/) }));
      expect(() => chain.save()).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/await chain\.saveAsync\(\)/) }));
      expect(() => chain.load({})).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/await chain\.loadAsync\(\)/) }));
      // nothing moved: the chain still steps, awaited
      await chain.stepAsync();
      expect(chain.round).toBe(1);
    } finally { chain.close?.(); }
  });

  it("a second stepAsync() before the first settles is refused (E_STATE) and the first still lands", async () => {
    const alg = alg0();
    const ref = alg.init({ seed: SEED });
    ref.step();
    const chain = alg.init({ seed: SEED, parallel: webSamplerWorkers(3, { makeWorker: fakeWorkers().make }) });
    try {
      const first = chain.stepAsync();
      await expect(chain.stepAsync()).rejects.toMatchObject({ code: "E_STATE" });
      await first;
      sameFloats(Array.from(ref.theta), Array.from(chain.theta), "θ_1");
    } finally { chain.close?.(); }
  });

  it("close() while a step is in flight rejects that step (E_STATE) instead of leaving it pending", async () => {
    const chain = alg0().init({ seed: SEED, parallel: webSamplerWorkers(3, { makeWorker: fakeWorkers().make }) });
    await chain.stepAsync();
    const pending = chain.stepAsync();
    await new Promise((r) => setTimeout(r, 0)); // the requests are posted
    chain.close();
    await expect(pending).rejects.toMatchObject({ code: "E_STATE", message: expect.stringMatching(/closed/) });
    await expect(chain.stepAsync()).rejects.toMatchObject({ code: "E_STATE", message: expect.stringMatching(/after close\(\)/) });
    // closed before the step reached the pool (its requests not yet posted)
    const other = alg0().init({ seed: SEED, parallel: webSamplerWorkers(3, { makeWorker: fakeWorkers().make }) });
    const early = other.stepAsync();
    other.close();
    await expect(early).rejects.toMatchObject({ code: "E_STATE" });
  });

  it("a worker that cannot start fails the first awaited step with its error, not an unhandled rejection", async () => {
    const broken = (): WorkerLike => {
      const w: WorkerLike = {
        onmessage: null, onerror: null,
        postMessage() { setTimeout(() => w.onerror?.({ message: "no such module" } as ErrorEvent), 1); },
        terminate() {},
      };
      return w;
    };
    const chain = alg0().init({ seed: SEED, parallel: webSamplerWorkers(2, { makeWorker: broken }) });
    await new Promise((r) => setTimeout(r, 20)); // the failure happens before anyone awaits
    const err = await chain.stepAsync().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FedquantError);
    expect(err).toMatchObject({ code: "E_WASM", message: expect.stringMatching(/no such module/) });
    chain.close?.();
  });

  it("webSamplerWorkers refuses bad thread counts and options with E_CONFIG", () => {
    for (const t of [0, 1.5, -1, "2"]) expect(() => webSamplerWorkers(t as number)).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
    expect(() => webSamplerWorkers(2, { makeWorker: 3 as unknown as () => WorkerLike })).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });

  it("without Web Workers (Node) and without makeWorker, init is refused with E_CONFIG pointing to samplerThreads", () => {
    expect(typeof (globalThis as { Worker?: unknown }).Worker).not.toBe("function");
    expect(() => alg0().init({ seed: SEED, parallel: webSamplerWorkers(2) })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/samplerThreads/) }));
  });

  it("stepAsync on a chain without workers equals step", async () => {
    const alg = alg0();
    const a = await traceChain(alg.init({ seed: SEED }), 5);
    const plain = alg.init({ seed: SEED });
    const b: ChainTrace = { thetas: [], bits: [] };
    for (let k = 0; k < 5; k++) { plain.step(); b.thetas.push(Array.from(plain.theta)); b.bits.push({ ...plain.bits }); }
    sameTrace(b, a, "stepAsync without workers");
  });
});

function alg0() { return samplerProblem(SAMPLER_CASES[0]); }
