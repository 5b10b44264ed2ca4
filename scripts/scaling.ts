// `npm run scaling [-- --quick] [-- --case a,b] [-- --threads 1,2] [-- --twins]`: the scaling study of issue #13
// (docs/scaling.md). Wall time and process CPU time of the same simulation with 1, 2, … threads,
// checked bit-identical, for E3 (synthetic logistic and phishing, every E3 algorithm), E4's BNN
// (QLSD++ and SGLD chains) and a large case (100 clients, D = 2^20, DoStoVoQ uplinks); then the
// bytes each simulated client costs per algorithm. Prints markdown and writes fedquant-out/scaling.json.
// `--twins` also measures each case's own two-core ceiling: its one-thread run alone, then two copies
// at once in two processes (twin-ceiling.ts; `--solo` is that child's side). `--paired K` runs only
// the fresh-process protocol, K times: the one-thread run, the pool's run and two one-thread copies
// at once, each in its own process, every speed-up set against the ceiling of the same minutes.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { createAlgorithm, algorithmNames, toSeed, type Algorithm } from "../src/algorithms/index.js";
import type { Chain } from "../src/sampling/index.js";
import { e3Config, E3_ALGORITHMS, availableE3Problems, type E3Problem } from "../src/experiments/e3.js";
import { algorithmConfig } from "../src/experiments/run.js";
import { buildProblem } from "../src/experiments/problems.js";
import { simulate, type SimulationOptions } from "../src/federation/simulator.js";
import { minibatchOracle } from "../src/federation/simulator-oracle.js";
import { ClientPool, closeIdleThreads, describeObjective, samplerRecipe, samplerThreads, type OptimizerRecipe } from "../src/federation/pool/index.js";
import { ready } from "../src/kernel/index.js";
import { gaussianMean } from "../src/models/index.js";
import { RandomStream } from "../src/random/index.js";
import { samplerMemory, type SamplerMemory } from "./sampler-memory.js";
import { availableParallelism, splitCpu } from "./thread-cpu.js";
import { e4Problem } from "./e4-problem.js";
import { pairedCeiling, soloRun, twinCeiling, type PairedRep, type TwinCeiling } from "./twin-ceiling.js";

const args = process.argv.slice(2);
const arg = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
const quick = args.includes("--quick");
const threadList = (arg("--threads") ?? "1,2").split(",").map(Number);
const only = arg("--case")?.split(",");
const dataDir = arg("--data-dir") ?? "../shared/data";
const twins = args.includes("--twins"), soloDir = arg("--solo"), copies = Number(arg("--copies") ?? 1);
// `--paired K`: only the fresh-process protocol of twin-ceiling.ts, K times (pairedCeiling)
const pairedReps = Number(arg("--paired") ?? 0), soloThreads = Number(arg("--solo-threads") ?? 1);
if (!(Number.isInteger(pairedReps) && pairedReps >= 0)) throw new Error(`--paired wants a count of repetitions, got ${arg("--paired")}`);

interface CaseResult { name: string; what: string; units: number; unit: string; runs: Measure[]; identical: boolean; clientShare?: number; parallelism: number[]; twin?: TwinCeiling; paired?: PairedRep[] }
interface Measure { threads: number; wall: number; cpu: number; mainCpu: number; busiestOtherCpu: number; load: number; fingerprint: string }

/**
 * One timed run: wall seconds, CPU seconds of the whole process (every thread), of the main
 * thread, and of the busiest other thread (a pool worker; V8's helper threads use far less), and
 * the 1-min load. On a loaded machine wall time measures the load; the busiest thread's CPU time
 * is what the run would take on free cores if no thread ever waited for another (a bound).
 */
function timed(threads: number, fn: (threads: number) => string): Measure {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const { value: fingerprint, mainCpu, busiestOtherCpu } = splitCpu(() => fn(threads));
  const wall = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
  return { threads, wall, cpu: (c.user + c.system) / 1e6, mainCpu, busiestOtherCpu, load: loadavg()[0]!, fingerprint };
}

/** Threads interleaved (1, 2, 1, 2 …) so a change of machine load hits every count alike. */
interface Profile { fingerprint: string; clientMs: number; totalMs: number }
function join(ps: Profile[]): Profile {
  return { fingerprint: ps.map((p) => p.fingerprint).join(","), clientMs: ps.reduce((a, p) => a + p.clientMs, 0), totalMs: ps.reduce((a, p) => a + p.totalMs, 0) };
}

function study(key: string, name: string, what: string, units: number, unit: string, reps: number, fn: (threads: number) => string, profile?: () => Profile, warm = true): CaseResult {
  // a child of twinCeiling: time one one-thread run, print it, and end
  if (soloDir) { soloRun(() => fn(soloThreads), warm, soloDir, copies); process.exit(0); }
  if (pairedReps > 0) {
    const threads = Math.max(...threadList);
    const paired = pairedCeiling(key, [...(quick ? ["--quick"] : []), "--data-dir", dataDir], pairedReps, threads, (line) => console.error(`  ${name}: ${line}`));
    return { name, what, units, unit, runs: [], identical: paired.every((p) => p.identical), parallelism: [], paired };
  }
  const runs: Measure[] = [];
  // what two threads can get from the machine now, before and after the timed runs
  const parallelism = [availableParallelism()];
  // one untimed run per thread count first: workers started, modules loaded, code compiled on
  // every thread (a worker's V8 tiers up on its own) — what a long run amortises
  if (warm) for (const t of threadList) { const w = timed(t, fn); console.error(`  ${name} threads=${t}: warm-up ${w.wall.toFixed(2)} s`); }
  for (let r = 0; r < reps; r++) for (const t of threadList) { runs.push(timed(t, fn)); console.error(`  ${name} threads=${t}: ${runs.at(-1)!.wall.toFixed(2)} s`); }
  parallelism.push(availableParallelism());
  console.error(`  ${name}: two busy loops on two threads ran ${parallelism.map((x) => x.toFixed(2)).join("× / ")}× as fast as one (before / after)`);
  let identical = runs.every((m) => m.fingerprint === runs[0]!.fingerprint);
  let clientShare: number | undefined;
  if (profile) {
    const p = profile();
    identical &&= p.fingerprint === runs[0]!.fingerprint;
    clientShare = p.clientMs / p.totalMs;
    console.error(`  ${name}: client steps are ${(100 * clientShare).toFixed(1)} % of the one-thread time`);
  }
  let twin: TwinCeiling | undefined;
  if (twins) {
    twin = twinCeiling(key, [...(quick ? ["--quick"] : []), "--data-dir", dataDir]);
    console.error(`  ${name}: one-thread run alone ${twin.alone.toFixed(2)} s, two copies at once ${twin.together.map((x) => x.toFixed(2)).join(" and ")} s: ceiling ${twin.ceiling.toFixed(2)}×`);
  }
  return { name, what, units, unit, runs, identical, clientShare, parallelism, twin };
}

/**
 * CPU milliseconds of the process: the profiles below run one thread, so this is the calling
 * thread's work (and the engine's GC helpers'), which does not grow with the machine's load as
 * wall time does.
 */
function cpuMs(): number { const c = process.cpuUsage(); return (c.user + c.system) / 1000; }

/**
 * The one-thread run driven by hand (the simulator's loop: broadcast, client steps, receive, loss
 * every evalEvery), timing (in CPU time) the client steps and the loss evaluations apart: their share p of the
 * time is what threads can divide (Amdahl: S(T) ≤ 1 / ((1 − p) + p/T) on T free cores).
 */
function profileSimulation(o: SimulationOptions & { algorithm: Algorithm }): Profile {
  const t0 = cpuMs();
  const seed = toSeed(o.seed), w0 = new Float64Array(o.objective.dim);
  const server = o.algorithm.createServer({ w0, clients: o.workers.length, seed });
  const recipe: OptimizerRecipe = { kind: "optimizer", algorithm: o.algorithm.name, config: o.algorithm.config, seed: seed.toString(), w0, objective: describeObjective(o.objective), batch: o.batchSize ?? "full" };
  // building the clients is divided too (each thread builds those it hosts)
  const b0 = cpuMs();
  const pool = new ClientPool(1, recipe, o.workers.map((_, i) => i), (i) => o.workers[i]!);
  let clients = cpuMs() - b0;
  // the loss curve is divided between threads too (each evaluates the F_i of its clients' data)
  const evalLoss = () => { const c0 = cpuMs(); const f = pool.federatedLoss(server.model); clients += cpuMs() - c0; return f; };
  const loss: number[] = [evalLoss()];
  for (let k = 1; k <= o.iterations; k++) {
    const down = server.broadcast(k - 1);
    const c0 = cpuMs();
    const up = pool.step(k - 1, down);
    clients += cpuMs() - c0;
    server.receive(k - 1, up);
    if (k % (o.evalEvery ?? 1) === 0 || k === o.iterations) loss.push(evalLoss());
  }
  pool.close();
  return { fingerprint: digest(server.model, loss), clientMs: clients, totalMs: cpuMs() - t0 };
}

/** A digest of a float64 vector's exact bits. */
function digest(...vs: ArrayLike<number>[]): string {
  let h = 2166136261 >>> 0;
  for (const v of vs) {
    const b = new Uint8Array(Float64Array.from(v).buffer);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 16777619) >>> 0;
  }
  return h.toString(16);
}

const results: CaseResult[] = [];
const want = (n: string) => !only || only.includes(n);
await ready();

// ---- E3: every E3 algorithm, as `fedquant e3` runs them (evalEvery 1, γ = 1/L) -------------------
function e3Case(problem: E3Problem, variant: string): void {
  const cfg = e3Config(problem, variant, { quick, dataDir });
  const p = buildProblem(cfg.problem, {});
  const opts = (e: (typeof E3_ALGORITHMS)[number]) => ({ algorithm: createAlgorithm(e.name, algorithmConfig(cfg, e, p.L)), objective: p.objective, workers: p.workers, iterations: cfg.iterations, batchSize: cfg.batch, seed: cfg.seed, evalEvery: 1 });
  const run = (threads: number) => E3_ALGORITHMS.map((e) => { const r = simulate({ ...opts(e), threads }); return digest(r.finalW, r.loss); }).join(",");
  const profile = () => join(E3_ALGORITHMS.map((e) => profileSimulation(opts(e))));
  const units = E3_ALGORITHMS.length * cfg.iterations * p.workers.length * (cfg.participation ?? 1);
  results.push(study(`e3-${problem}-${variant}`, `E3 ${problem} ${variant}`, `${E3_ALGORITHMS.length} algorithms × ${cfg.iterations} iterations, N = ${p.workers.length}, d = ${p.objective.dim}, batch ${cfg.batch}`, units, "client-rounds", quick ? 1 : 2, run, profile));
}
const e3avail = availableE3Problems(dataDir).run;
for (const [problem, variant] of [["synthetic-logistic", "stochastic"], ["phishing-noniid", "stochastic"], ["phishing-noniid", "full-batch"]] as [E3Problem, string][]) {
  if (!want(`e3-${problem}-${variant}`)) continue;
  if (!e3avail.includes(problem)) { console.error(`skipping ${problem}: no data in ${dataDir}`); continue; }
  e3Case(problem, variant);
}

// ---- E4 BNN: QLSD++ (qsgd s = 16, bucket 512) and SGLD chains on MNIST, 100 clients ----------------
if (want("e4-bnn")) {
  const { b, steps, objective: obj, samplers } = e4Problem(quick);
  const run = (threads: number) => samplers.map((alg) => {
    const chain: Chain = alg.init({ seed: 1, parallel: threads > 1 ? samplerThreads(threads) : undefined });
    try { for (let k = 0; k < steps; k++) chain.step(); } finally { chain.close?.(); }
    return digest(chain.theta);
  }).join(",");
  // the chain's own loop, its clients on a one-thread pool whose steps are timed
  const profile = () => join(samplers.map((alg) => {
    let clientMs = 0;
    const t0 = cpuMs();
    const chain: Chain = alg.init({
      seed: 1, parallel: (job) => {
        // building the clients is divided too (each thread builds those it hosts)
        const b0 = cpuMs();
        const pool = new ClientPool(1, samplerRecipe(job), job.model.clients.map((_, i) => i), (i) => job.model.clients[i]!);
        clientMs += cpuMs() - b0;
        return {
          step: (r, d) => { const c0 = cpuMs(); const u = pool.step(r, d); clientMs += cpuMs() - c0; return u; },
          save: () => pool.save(), load: (c, o) => pool.load(c, o), close: () => pool.close(),
        };
      },
    });
    for (let k = 0; k < steps; k++) chain.step();
    chain.close?.();
    return { fingerprint: digest(chain.theta), clientMs, totalMs: cpuMs() - t0 };
  }));
  results.push(study("e4-bnn", "E4 BNN (MNIST)", `QLSD++ and SGLD, ${steps} steps each, b = ${b} clients, d = ${obj.dim}, batch 10`, 2 * steps * b, "client-rounds", quick ? 1 : 2, run, profile));
}

// ---- large: 100 clients × D = 2^20, DoStoVoQ uplinks ----------------------------------------------
if (want("large")) {
  const N = quick ? 20 : 100, D = quick ? 1 << 16 : 1 << 20, rounds = quick ? 2 : 1;
  const objective = gaussianMean({ p: D });
  const workers = Array.from({ length: N }, (_, i) => ({ n: 1, p: D, X: Float64Array.from(RandomStream.of(3, "data", 0, i).normals(D)), y: new Float64Array(1) }));
  const opts = { algorithm: createAlgorithm("dostovoq-sgd", { gamma: 0.5 }), objective, workers, iterations: rounds, batchSize: "full" as const, seed: 4, evalEvery: rounds };
  const run = (threads: number) => { const r = simulate({ ...opts, threads }); return digest(r.finalW, r.loss); };
  const profile = () => profileSimulation(opts);
  // no warm-up run (minutes): the start-up is a small part of a round at this size
  results.push(study("large", "large", `dostovoq-sgd, N = ${N} clients, D = ${D}, ${rounds} rounds (client start-up included)`, N * rounds, "client-rounds", 1, run, profile, quick));
}
closeIdleThreads();

// ---- memory: bytes per simulated client -------------------------------------------------------------
/**
 * Bytes of the distinct array buffers reachable from `roots` (own properties, Map/Set entries,
 * array items), the wasm memory excepted: state held for a run, shared objects counted once.
 */
function reachableBytes(roots: unknown[]): number {
  const seen = new Set<unknown>(), buffers = new Set<ArrayBufferLike>();
  const stack = [...roots];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== "object" && typeof x !== "function" || seen.has(x)) continue;
    seen.add(x);
    if (x instanceof WebAssembly.Memory) continue;
    if (ArrayBuffer.isView(x)) { buffers.add(x.buffer); continue; }
    if (x instanceof ArrayBuffer) { buffers.add(x); continue; }
    if (x instanceof Map) { for (const [k, v] of x) stack.push(k, v); continue; }
    if (x instanceof Set) { for (const v of x) stack.push(v); continue; }
    for (const k of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d && "value" in d) stack.push(d.value);
    }
  }
  let n = 0;
  for (const b of buffers) n += b.byteLength;
  return n;
}

/** State bytes of N clients and of the server after two rounds (lazily allocated memories included). */
function footprint(algo: Algorithm, N: number, D: number): { clients: number; server: number } {
  const w0 = new Float64Array(D), data = { n: 1, p: D, X: Float64Array.from({ length: D }, (_, j) => Math.sin(j)), y: new Float64Array(1) };
  const oracle = minibatchOracle(gaussianMean({ p: D }), data, 1n, "full");
  const server = algo.createServer({ w0, clients: N, seed: 1 });
  const clients = Array.from({ length: N }, (_, i) => algo.createClient({ id: i, w0, seed: 1 }));
  for (let k = 0; k < 2; k++) {
    const up = new Map<number, Uint8Array>();
    for (const [id, b] of server.broadcast(k)) up.set(id, clients[id]!.step(k, b, oracle));
    server.receive(k, up);
  }
  // what is shared with the algorithm object (compressors, codebook caches) is not the run's
  const shared = reachableBytes([algo]);
  return { clients: reachableBytes([algo, ...clients]) - shared, server: reachableBytes([algo, server]) - shared };
}
const memory: { algorithm: string; clientBytesPerCoord: number; serverBytesPerClientCoord: number; serverBytesPerCoord: number; maxClientsTimesD: number }[] = [];
if (want("memory")) {
  const D = 1 << 14;
  for (const name of algorithmNames()) {
    const algo = createAlgorithm(name, { gamma: 0.1 });
    const a = footprint(algo, 4, D), b = footprint(algo, 12, D);
    const client = (b.clients - a.clients) / 8 / D, serverPerClient = (b.server - a.server) / 8 / D;
    memory.push({
      algorithm: name, clientBytesPerCoord: client, serverBytesPerClientCoord: serverPerClient,
      serverBytesPerCoord: a.server / D - 4 * serverPerClient, maxClientsTimesD: Math.floor((24 * 2 ** 30) / (client + serverPerClient)),
    });
  }
}
const samplersMemory: SamplerMemory[] = want("memory") ? samplerMemory() : [];

// ---- report -------------------------------------------------------------------------------------------
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), quick };
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
console.log(`\nscaling on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ${machine.date}${quick ? " — quick" : ""}\n`);
if (results.some((x) => x.runs.length)) {
  console.log("| case | threads | wall s (median) | CPU s | main-thread CPU s | busiest worker CPU s | speed-up (wall) | efficiency | client-rounds/s | CPU-path speed-up | Amdahl bound | 1-min load | bit-identical |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
}
for (const r of results.filter((x) => x.runs.length)) {
  const first = r.runs.filter((m) => m.threads === threadList[0]);
  const base = med(first.map((m) => m.wall));
  // the critical path in CPU time: the busiest thread (main or a worker); with one thread, the main one
  const path = (m: Measure) => Math.max(m.mainCpu, m.threads > 1 ? m.busiestOtherCpu : 0);
  const basePath = med(first.map(path));
  for (const t of threadList) {
    const ms = r.runs.filter((m) => m.threads === t);
    const wall = med(ms.map((m) => m.wall)), cpu = med(ms.map((m) => m.cpu)), p = med(ms.map(path));
    console.log(`| ${r.name} | ${t} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${med(ms.map((m) => m.mainCpu)).toFixed(2)} | ${t > 1 ? med(ms.map((m) => m.busiestOtherCpu)).toFixed(2) : "—"} | ${(base / wall).toFixed(2)}× | ${((base / wall) / t * 100).toFixed(0)} % | ${(r.units / wall).toFixed(1)} | ${p > 0 ? `${(basePath / p).toFixed(2)}×` : "—"} | ${r.clientShare === undefined ? "—" : `${(1 / ((1 - r.clientShare) + r.clientShare / t)).toFixed(2)}×`} | ${med(ms.map((m) => m.load)).toFixed(1)} | ${r.identical ? "yes" : "NO"} |`);
  }
}
for (const r of results.filter((x) => x.runs.length)) console.log(`- ${r.name}: ${r.what}${r.clientShare === undefined ? "" : `; client steps ${(100 * r.clientShare).toFixed(1)} % of the one-thread time`}; two busy loops on two threads: ${r.parallelism.map((x) => `${x.toFixed(2)}×`).join(" before, ")} after (2× on two free cores)`);
for (const r of results.filter((x) => x.twin)) {
  const t = r.twin!, ms = r.runs.filter((m) => m.threads === 2), base = med(r.runs.filter((m) => m.threads === 1).map((m) => m.wall));
  const two = ms.length ? med(ms.map((m) => m.wall)) : NaN, pool = base / two;
  console.log(`- ${r.name}, this machine's ceiling: the one-thread run alone ${t.alone.toFixed(2)} s, two copies at once (two processes) ${t.together.map((x) => x.toFixed(2)).join(" and ")} s → ${t.ceiling.toFixed(2)}× for two perfectly independent threads of this work${Number.isFinite(pool) ? `; the pool's 2-thread wall speed-up ${pool.toFixed(2)}× (${(t.alone / two).toFixed(2)}× against the fresh process's one-thread run) is ${(100 * pool / t.ceiling).toFixed(0)} % of it` : ""}`);
}
const pairedResults = results.filter((x) => x.paired);
if (pairedResults.length) {
  console.log(`\nFresh processes, paired (\`--paired\`): per repetition the one-thread run alone, the ${Math.max(...threadList)}-thread run alone, and two one-thread copies at once (the ceiling); each process warms up first.\n`);
  console.log("| case | repetition | one thread s | pool s | two copies s | speed-up (wall) | ceiling | share of the ceiling | bit-identical |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of pairedResults) {
    const ps = r.paired!;
    ps.forEach((p, i) => console.log(`| ${r.name} | ${i + 1} | ${p.alone.toFixed(2)} | ${p.pool.toFixed(2)} | ${p.together.map((x) => x.toFixed(2)).join(", ")} | ${p.speedup.toFixed(2)}× | ${p.ceiling.toFixed(2)}× | ${(100 * p.speedup / p.ceiling).toFixed(0)} % | ${p.identical ? "yes" : "NO"} |`));
    if (ps.length > 1) {
      const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
      console.log(`| ${r.name} | median of ${ps.length} (range) | ${med(ps.map((p) => p.alone)).toFixed(2)} | ${med(ps.map((p) => p.pool)).toFixed(2)} | | **${med(ps.map((p) => p.speedup)).toFixed(2)}×** (${range(ps.map((p) => p.speedup))}) | **${med(ps.map((p) => p.ceiling)).toFixed(2)}×** (${range(ps.map((p) => p.ceiling))}) | ${(100 * med(ps.map((p) => p.speedup / p.ceiling))).toFixed(0)} % | ${r.identical ? "yes" : "NO"} |`);
    }
  }
}
if (memory.length) {
  console.log("\n| algorithm | client bytes / coord | server bytes / (client · coord) | server bytes / coord | max clients × D in 24 GiB |");
  console.log("|---|---|---|---|---|");
  for (const m of memory) console.log(`| ${m.algorithm} | ${m.clientBytesPerCoord.toFixed(1)} | ${m.serverBytesPerClientCoord.toFixed(1)} | ${m.serverBytesPerCoord.toFixed(1)} | ${(m.maxClientsTimesD / 1e9).toFixed(2)} G |`);
}
if (samplersMemory.length) {
  console.log("\nfederated samplers (process.memoryUsage().arrayBuffers after gc, 4 vs 12 clients, D = 2^18, data excluded):\n");
  console.log("| sampler | bytes / (client · coord), server share included | fixed bytes / coord | max clients × D in 24 GiB |");
  console.log("|---|---|---|---|");
  for (const m of samplersMemory) console.log(`| ${m.sampler} | ${m.clientBytesPerCoord.toFixed(1)} | ${m.fixedBytesPerCoord.toFixed(1)} | ${(m.maxClientsTimesD / 1e9).toFixed(2)} G |`);
}
mkdirSync("fedquant-out", { recursive: true });
writeFileSync("fedquant-out/scaling.json", JSON.stringify({ machine, results, memory, samplersMemory }, null, 2));
console.log("\nwrote fedquant-out/scaling.json");
