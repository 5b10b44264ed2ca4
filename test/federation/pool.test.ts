// The client pool (issue #13): clients on worker threads change no bit. For every registered
// algorithm and every sampler of the QLSD family, runs with 1, 2, 3 and 4 threads (0 to 3
// workers) must give the same trajectory, every downlink and uplink byte, every bit count and the
// same checkpoints. The reference is the one-thread path of today, not the pool's own output.
import { afterAll, describe, expect, it } from "vitest";
import { algorithmNames, type ClientId } from "../../src/algorithms/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { closeIdleThreads } from "../../src/federation/pool/index.js";
import { simulate, type SimulationOptions, type SimulationResult } from "../../src/federation/simulator.js";
import { logistic, type Objective } from "../../src/models/index.js";
import { federatedSampler, findMode, type Chain, type SamplerParams } from "../../src/sampling/index.js";
import { samplerThreads } from "../../src/federation/pool/index.js";
import { heterogeneousLsr } from "../algorithms/helpers.js";
import { logisticModel, toyModel } from "../sampling/helpers.js";

afterAll(() => closeIdleThreads());

const THREADS = [2, 3, 4];
const P = heterogeneousLsr(7, 16, 6);

interface Run { result: SimulationResult; down: Map<ClientId, Uint8Array>[]; up: Map<ClientId, Uint8Array>[] }

function run(o: SimulationOptions): Run {
  const down: Map<ClientId, Uint8Array>[] = [], up: Map<ClientId, Uint8Array>[] = [];
  const result = simulate({ ...o, onIteration: (i) => { down.push(new Map(i.downlinks)); up.push(new Map(i.uplinks)); } });
  return { result, down, up };
}

/** Bitwise equality of float arrays (toEqual would let −0 = 0 and would not say where). */
function sameFloats(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(b.length).toBe(a.length);
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) expect.fail(`differs at ${j}: ${a[j]} vs ${b[j]}`);
}

function sameRun(a: Run, b: Run): void {
  expect(b.down.length).toBe(a.down.length);
  for (let k = 0; k < a.down.length; k++) {
    expect([...b.down[k]!.keys()]).toEqual([...a.down[k]!.keys()]);
    expect([...b.up[k]!.keys()]).toEqual([...a.up[k]!.keys()]); // gathered in client order
    for (const [id, bytes] of a.down[k]!) expect(Buffer.from(b.down[k]!.get(id)!).equals(Buffer.from(bytes))).toBe(true);
    for (const [id, bytes] of a.up[k]!) expect(Buffer.from(b.up[k]!.get(id)!).equals(Buffer.from(bytes))).toBe(true);
  }
  sameResult(a.result, b.result);
}

function sameResult(a: SimulationResult, b: SimulationResult): void {
  sameFloats(a.finalW, b.finalW);
  sameFloats(a.loss, b.loss);
  expect(b.iterations).toEqual(a.iterations);
  for (const k of ["bitsUp", "bitsDown", "wireBitsUp", "wireBitsDown", "activeClients"] as const) expect(b[k]).toEqual(a[k]);
}

describe("simulate with threads: bit for bit the one-thread run", () => {
  // partial participation (some workers idle in some rounds) and minibatches (per-client streams)
  const base = { gamma: 0.3 / P.L, objective: P.objective, workers: P.workers, iterations: 9, seed: 31, batchSize: 5, participation: 0.7, evalEvery: 1 };
  it.each(algorithmNames())("%s: every message, bit count and iterate with 2, 3 and 4 threads", (name) => {
    const one = run({ ...base, algorithm: name, threads: 1 });
    expect(one.up.flatMap((m) => [...m.keys()]).length).toBeGreaterThan(0);
    for (const t of THREADS) sameRun(one, run({ ...base, algorithm: name, threads: t }));
  });

  it("without onIteration the downlinks are moved to the workers, and the result is still the same", () => {
    const o = { ...base, algorithm: "artemis", iterations: 12 };
    const one = simulate({ ...o, threads: 1 });
    for (const t of THREADS) sameResult(one, simulate({ ...o, threads: t }));
  });

  it("more threads than clients: capped at the number of clients", () => {
    const o = { ...base, algorithm: "diana", workers: P.workers.slice(0, 2) };
    sameResult(simulate({ ...o, threads: 1 }), simulate({ ...o, threads: 5 }));
  });
});

describe("federated samplers with threads: bit for bit the one-thread chain", () => {
  const model = logisticModel(5, 24, 3);
  const qsgd = createCompressor("qsgd", { s: 4 });
  const thetaStar = findMode(model).theta;
  const cases: [string, SamplerParams][] = [
    ["lsd", { algorithm: "lsd", stepSize: 1e-3 }],
    ["sgld", { algorithm: "sgld", stepSize: 1e-3, batchSize: 6 }],
    ["qlsd# (partial participation)", { algorithm: "qlsd#", stepSize: 1e-3, batchSize: 6, compressor: qsgd, participation: 3 }],
    ["qlsd*", { algorithm: "qlsd*", stepSize: 1e-3, batchSize: 6, compressor: qsgd, thetaStar }],
    ["qlsd++", { algorithm: "qlsd++", stepSize: 1e-3, batchSize: 6, compressor: qsgd, refresh: 4, participation: 4 }],
    ["qlsd++ without memory", { algorithm: "qlsd++", stepSize: 1e-3, batchSize: 6, compressor: qsgd, refresh: 4, memory: false }],
  ];

  function trace(chain: Chain, steps: number): { thetas: Float64Array[]; bits: unknown[] } {
    const thetas: Float64Array[] = [], bits: unknown[] = [];
    for (let k = 0; k < steps; k++) { chain.step(); thetas.push(Float64Array.from(chain.theta)); bits.push({ ...chain.bits }); }
    return { thetas, bits };
  }

  it.each(cases)("%s: every iterate, bit count and checkpoint with 2, 3 and 4 threads", (_, params) => {
    const alg = federatedSampler(model, params);
    const ref = alg.init({ seed: 8 });
    const a = trace(ref, 11);
    for (const t of THREADS) {
      const chain = alg.init({ seed: 8, parallel: samplerThreads(t) });
      try {
        const b = trace(chain, 11);
        a.thetas.forEach((th, k) => sameFloats(th, b.thetas[k]!));
        expect(b.bits).toEqual(a.bits);
        expect(chain.save()).toEqual(ref.save());
      } finally { chain.close?.(); }
    }
  });

  it("a checkpoint saved with 3 threads resumes with 2 (and with 1) on the uninterrupted trajectory", () => {
    const alg = federatedSampler(model, cases[4]![1]);
    const ref = alg.init({ seed: 5 });
    const full = trace(ref, 14);
    const first = alg.init({ seed: 5, parallel: samplerThreads(3) });
    trace(first, 6);
    const saved = first.save();
    first.close?.();
    for (const parallel of [samplerThreads(2), undefined]) {
      const resumed = alg.init({ seed: 5, parallel });
      resumed.load(saved);
      const rest = trace(resumed, 8);
      rest.thetas.forEach((th, k) => sameFloats(full.thetas[6 + k]!, th));
      resumed.close?.();
    }
  });

  it("the Gaussian toy (flat prior, gaussian likelihood) too", () => {
    const { model: toy } = toyModel(4, 3, 10, 2);
    const alg = federatedSampler(toy, { algorithm: "qlsd#", stepSize: 1e-3, batchSize: 4, compressor: qsgd });
    const a = trace(alg.init({ seed: 1 }), 6);
    const chain = alg.init({ seed: 1, parallel: samplerThreads(2) });
    const b = trace(chain, 6);
    chain.close?.();
    a.thetas.forEach((th, k) => sameFloats(th, b.thetas[k]!));
  });
});

describe("threads: what cannot run in a worker is refused (E_CONFIG), errors keep their code", () => {
  const o = { algorithm: "diana", gamma: 0.3 / P.L, objective: P.objective, workers: P.workers, iterations: 3, seed: 2 };
  it.each([0, 1.5, -1, "2"])("threads = %o", (t) => {
    expect(() => simulate({ ...o, threads: t as number })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/threads must be an integer/) }));
  });
  it("client hooks (functions) with threads > 1", () => {
    expect(() => simulate({ ...o, threads: 2, clientHooks: {} })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/clientHooks/) }));
  });
  it("an objective that is not one of src/models'", () => {
    const own: Objective = { ...P.objective, name: "mine" };
    expect(() => simulate({ ...o, objective: own, threads: 2 })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/not one of src\/models/) }));
  });
  it("an objective that borrows a model's name but computes something else", () => {
    const real = P.objective;
    const fake: Objective = { ...real, grad: (w, d, out, rows) => { real.grad(w, d, out, rows); out[0] = out[0]! + 1; return out; } };
    expect(() => simulate({ ...o, objective: fake, threads: 2 })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/does not behave like/) }));
  });
  it("a client that fails in a worker fails the run as in one thread: same code, same client", () => {
    // client 4's data has a NaN: its gradient is not finite, the uplink compressor refuses it
    const bad = P.workers.map((d, i) => (i === 4 ? { ...d, X: Float64Array.from(d.X, (x, j) => (j === 0 ? NaN : x)) } : d));
    const opts = { ...o, algorithm: "qsgd", workers: bad, batchSize: "full" as const };
    let one: unknown, many: unknown;
    try { simulate({ ...opts, threads: 1 }); } catch (e) { one = e; }
    try { simulate({ ...opts, threads: 3 }); } catch (e) { many = e; }
    expect(one).toBeDefined();
    expect(many).toMatchObject({ code: (one as { code: string }).code, message: (one as Error).message });
  });
  it("the loss curve is evaluated on the threads: a failing F_i reports the earliest client's error, as the one-thread loop", () => {
    // clients 1 (a worker with 2 threads) and 2 (the calling thread) both fail F(w_0); the
    // one-thread federatedLoss meets client 1 first (label 0), so must the pool
    const obj = logistic({ p: 6 });
    const data = P.workers.map((d) => ({ ...d, y: d.y.map((v) => (v > 0 ? 1 : -1)) }));
    data[1] = { ...data[1]!, y: data[1]!.y.map(() => 0) };
    data[2] = { ...data[2]!, y: data[2]!.y.map(() => 2) };
    const opts = { ...o, objective: obj, workers: data, batchSize: "full" as const };
    let one: unknown, many: unknown;
    try { simulate({ ...opts, threads: 1 }); } catch (e) { one = e; }
    try { simulate({ ...opts, threads: 2 }); } catch (e) { many = e; }
    expect(one).toMatchObject({ code: "E_INPUT", message: expect.stringMatching(/label 0/) });
    expect(many).toMatchObject({ code: "E_INPUT", message: (one as Error).message });
  });
  it("a logistic objective with labels of the wrong kind fails in the worker with the model's own code", () => {
    const obj = logistic({ p: 6 });
    const data = P.workers.map((d) => ({ ...d, y: d.y.map((v) => (v > 0 ? 1 : -1)) }));
    data[2] = { ...data[2]!, y: data[2]!.y.map(() => 0) };
    const opts = { ...o, objective: obj, workers: data, batchSize: "full" as const };
    let one: unknown, many: unknown;
    try { simulate({ ...opts, threads: 1 }); } catch (e) { one = e; }
    try { simulate({ ...opts, threads: 2 }); } catch (e) { many = e; }
    expect(one).toMatchObject({ code: "E_INPUT" });
    expect(many).toMatchObject({ code: "E_INPUT", message: (one as Error).message });
  });
});
