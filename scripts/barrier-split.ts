// `npx tsx scripts/barrier-split.ts [--quick] [--reps K]` (`npm run scaling:barrier`): what this
// machine gives E4's work split over two threads that meet once per round, as the pool's threads
// must (issue #13, docs/scaling.md "A round is a barrier"). The two-process ceiling of
// twin-ceiling.ts has no barrier: each copy runs on, whatever the other does. The pool's threads
// wait for each other every round, so a thread that the machine slows for a moment holds both up.
//
// Per repetition, each variant in a fresh process after its own warm-up (the order reversed every
// other repetition):
//   alone          E4 (e4-problem.ts: QLSD++ and SGLD, b = 100) on one thread;
//   pool           the same with the pool's 2 threads (samplerThreads(2));
//   split          two worker threads, each running E4's chains over the clients the pool's thread
//                  of the same index hosts (j mod 2) as a problem of its own, with its own server,
//                  no message, no shared server step, and never waiting for the other;
//   split+barrier  the same, the two threads meeting at a barrier after every step of the chain.
// alone / split is what two threads get for this work without a barrier; alone / split+barrier
// what they get with one per round (the pool's structure without its serial server step and its
// messages); alone / pool is the pool.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { closeIdleThreads, samplerThreads } from "../src/federation/pool/index.js";
import { ready } from "../src/kernel/index.js";
import type { Chain } from "../src/sampling/index.js";
import { e4Problem, type E4Problem } from "./e4-problem.js";

type Variant = "alone" | "pool" | "split" | "split+barrier";
const VARIANTS: Variant[] = ["alone", "pool", "split", "split+barrier"];

interface SplitJob { quick: boolean; index: number; barrier: boolean; sync: SharedArrayBuffer }

/** Both chains of `p`, `steps` steps each; `after` runs after every step. */
function runChains(p: E4Problem, threads: number, after: () => void = () => {}): void {
  for (const alg of p.samplers) {
    const chain: Chain = alg.init({ seed: 1, parallel: threads > 1 ? samplerThreads(threads) : undefined });
    try { for (let k = 0; k < p.steps; k++) { chain.step(); after(); } } finally { chain.close?.(); }
  }
}

// sync cells: 0 ready count, 1 go, 2 barrier arrivals, 3 barrier generation
const READY = 0, GO = 1, ARRIVED = 2, GENERATION = 3;

/** A two-party barrier: the second to arrive opens it (Atomics.wait: the threads sleep, as the pool's do). */
function barrier(s: Int32Array): void {
  const gen = Atomics.load(s, GENERATION);
  if (Atomics.add(s, ARRIVED, 1) === 1) {
    Atomics.store(s, ARRIVED, 0);
    Atomics.add(s, GENERATION, 1);
    Atomics.notify(s, GENERATION);
  } else {
    while (Atomics.load(s, GENERATION) === gen) Atomics.wait(s, GENERATION, gen, 1000);
  }
}

if (!isMainThread && (workerData as { splitJob?: SplitJob })?.splitJob) {
  // a split thread: its half of E4's clients as a problem of its own
  const job = (workerData as { splitJob: SplitJob }).splitJob;
  const s = new Int32Array(job.sync);
  await ready();
  const p = e4Problem(job.quick, { index: job.index, of: 2 });
  runChains(p, 1); // warm-up, as every variant has
  Atomics.add(s, READY, 1);
  Atomics.notify(s, READY);
  while (Atomics.load(s, GO) === 0) Atomics.wait(s, GO, 0, 1000);
  runChains(p, 1, job.barrier ? () => barrier(s) : undefined);
  parentPort!.postMessage("done");
}

/** The worker's code under tsx: the TypeScript sources through tsx's ESM API (as the pool's own bootstrap). */
const BOOT = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); }).catch((e) => { console.error(e); process.exit(1); });`;

/** Wall seconds of one variant, timed in this (fresh) process after its warm-up. */
async function timeVariant(v: Variant, quick: boolean): Promise<number> {
  await ready();
  if (v === "alone" || v === "pool") {
    const p = e4Problem(quick), threads = v === "pool" ? 2 : 1;
    runChains(p, threads);
    const t0 = performance.now();
    runChains(p, threads);
    const wall = (performance.now() - t0) / 1000;
    closeIdleThreads();
    return wall;
  }
  const sync = new SharedArrayBuffer(16), s = new Int32Array(sync);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const workers = [0, 1].map((index) => new Worker(BOOT, { eval: true, workerData: { tsx, entry: import.meta.url, splitJob: { quick, index, barrier: v === "split+barrier", sync } } }));
  const done = workers.map((w) => new Promise<void>((res, rej) => { w.once("message", () => res()); w.once("error", rej); w.once("exit", (c) => { if (c !== 0) rej(new Error(`split thread exited with ${c}`)); }); }));
  // wait until both have warmed up, then start them together (polling: this thread's event loop must run)
  while (Atomics.load(s, READY) < 2) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  Atomics.store(s, GO, 1);
  Atomics.notify(s, GO);
  await Promise.all(done);
  const wall = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return wall;
}

if (isMainThread) {
  const args = process.argv.slice(2);
  const arg = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
  const quick = args.includes("--quick");
  const only = arg("--variant") as Variant | undefined;
  if (only !== undefined) {
    if (!VARIANTS.includes(only)) throw new Error(`--variant must be one of ${VARIANTS.join(", ")}`);
    console.log(JSON.stringify({ wall: await timeVariant(only, quick) }));
  } else {
    const reps = Number(arg("--reps") ?? 3);
    if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps wants a count ≥ 1, got ${arg("--reps")}`);
    const walls = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
    const fresh = (v: Variant): number => {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--variant", v, ...(quick ? ["--quick"] : [])], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
      if (r.status !== 0) throw new Error(`variant ${v} failed (${r.status})`);
      return (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { wall: number }).wall;
    };
    const rows: Record<Variant, number>[] = [];
    for (let k = 0; k < reps; k++) {
      const row = {} as Record<Variant, number>;
      for (const v of k % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) { row[v] = fresh(v); walls.get(v)!.push(row[v]); }
      console.error(`repetition ${k + 1}/${reps}: ${VARIANTS.map((v) => `${v} ${row[v].toFixed(2)} s`).join(", ")}`);
      rows.push(row);
    }
    const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
    console.log(`\nE4${quick ? " (quick)" : ""} split over two threads, fresh processes, ${new Date().toISOString()}\n`);
    console.log("| repetition | one thread s | pool s | split s | split + barrier s | pool | split | split + barrier |");
    console.log("|---|---|---|---|---|---|---|---|");
    const line = (name: string, r: Record<Variant, number>) => console.log(`| ${name} | ${r.alone.toFixed(2)} | ${r.pool.toFixed(2)} | ${r.split.toFixed(2)} | ${r["split+barrier"].toFixed(2)} | ${(r.alone / r.pool).toFixed(2)}× | ${(r.alone / r.split).toFixed(2)}× | ${(r.alone / r["split+barrier"]).toFixed(2)}× |`);
    rows.forEach((r, i) => line(String(i + 1), r));
    if (reps > 1) {
      const ratio = (v: Variant) => med(rows.map((r) => r.alone / r[v]));
      console.log(`| median | ${med(walls.get("alone")!).toFixed(2)} | ${med(walls.get("pool")!).toFixed(2)} | ${med(walls.get("split")!).toFixed(2)} | ${med(walls.get("split+barrier")!).toFixed(2)} | **${ratio("pool").toFixed(2)}×** | **${ratio("split").toFixed(2)}×** | **${ratio("split+barrier").toFixed(2)}×** |`);
    }
  }
}
