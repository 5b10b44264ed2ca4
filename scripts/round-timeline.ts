// `npx tsx scripts/round-timeline.ts [--quick] [--steps K] [--threads 1,2]`: where an E4 round goes,
// round by round, seen from the calling thread (issue #13, docs/scaling.md "A round is a barrier").
// The E4 chains (e4-problem.ts) run with samplerThreads(T) after an untimed warm-up, T = 1, 2, 1, 2
// (interleaved, so a change of the machine's speed hits both); each round is cut into
//   server  the serial part: broadcast (downlink envelopes) + receive (checks, aggregation, noise)
//   own     the calling thread stepping its own clients (StepRound.runMine), also per client
//   wait    how long the calling thread then waited for the worker's reply (its steps took longer)
//   rest    the round's other time: posting the worker's downlinks, reading its reply, bit counts
// printed as quantiles over the rounds. A round ends with the slower thread, so `wait` is what the
// round lost to the worker being behind; per client, `own` with 2 threads against 1 is what the
// calling thread's steps lose while the other thread runs too. Nothing of the library changes
// (prototype methods are wrapped).
import { ServerBase } from "../src/algorithms/server-base.js";
import { StepRound } from "../src/federation/pool/core.js";
import { closeIdleThreads, samplerThreads } from "../src/federation/pool/index.js";
import { PoolThread } from "../src/federation/pool/thread.js";
import { ready } from "../src/kernel/index.js";
import type { Chain } from "../src/sampling/index.js";
import { e4Problem } from "./e4-problem.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const steps = args.includes("--steps") ? Number(args[args.indexOf("--steps") + 1]) : 40;
const threadList = (args.includes("--threads") ? args[args.indexOf("--threads") + 1]! : "1,2").split(",").map(Number);
const repeats = 2;
if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`--steps wants an integer ≥ 2, got ${steps}`);
await ready();
const { b, samplers } = e4Problem(quick);

interface Round { server: number; own: number; wait: number; wall: number }
let cur: Partial<Round> = {};
function wrap(proto: object, method: string, around: (run: () => unknown) => unknown): void {
  const p = proto as Record<string, (...a: unknown[]) => unknown>, f = p[method]!;
  p[method] = function (this: unknown, ...a: unknown[]) { return around(() => f.apply(this, a)); };
}
const timed = (key: "server" | "own") => (run: () => unknown) => {
  const t = performance.now();
  try { return run(); } finally { cur[key] = (cur[key] ?? 0) + performance.now() - t; }
};
wrap(ServerBase.prototype, "broadcast", timed("server"));
wrap(ServerBase.prototype, "receive", timed("server"));
wrap(StepRound.prototype, "runMine", timed("own"));
wrap(PoolThread.prototype, "wait", (run) => {
  const t = performance.now();
  try { return run(); } finally { cur.wait = (cur.wait ?? 0) + performance.now() - t; }
});

const q = (xs: number[], f: number) => { const v = [...xs].sort((x, y) => x - y); return v[Math.round(f * (v.length - 1))]!; };
const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
console.log(`E4${quick ? " (quick)" : ""}: b = ${b} clients, ${steps} rounds per chain after ${steps} untimed, threads ${threadList.join(", ")} interleaved ${repeats} times; ms per round (each chain's first, refresh round left out)\n`);
const runChain = (alg: (typeof samplers)[number], threads: number, record: Round[] | undefined) => {
  const chain: Chain = alg.init({ seed: 1, parallel: samplerThreads(threads) });
  try {
    for (let k = 0; k < steps; k++) {
      cur = {};
      const t = performance.now();
      chain.step();
      const wall = performance.now() - t;
      if (record && k > 0) record.push({ server: cur.server ?? 0, own: cur.own ?? 0, wait: cur.wait ?? 0, wall });
    }
  } finally { chain.close?.(); }
};
const rounds = new Map<string, Round[]>();
for (const alg of samplers) for (const t of threadList) { runChain(alg, t, undefined); rounds.set(`${alg.name}/${t}`, []); }
for (let r = 0; r < repeats; r++) for (const alg of samplers) for (const t of threadList) runChain(alg, t, rounds.get(`${alg.name}/${t}`));
console.log("| chain | threads | part | p10 | median | p90 | mean |");
console.log("|---|---|---|---|---|---|---|");
for (const alg of samplers) {
  for (const t of threadList) {
    const rs = rounds.get(`${alg.name}/${t}`)!, own = Math.ceil(b / t);
    const rows: [string, number[]][] = [
      ["round (wall)", rs.map((r) => r.wall)],
      ["server (serial)", rs.map((r) => r.server)],
      [`own clients (${own})`, rs.map((r) => r.own)],
      ["own, per client", rs.map((r) => r.own / own)],
      ...(t > 1 ? [["wait for the worker", rs.map((r) => r.wait)] as [string, number[]]] : []),
      ["rest", rs.map((r) => r.wall - r.server - r.own - r.wait)],
    ];
    for (const [name, xs] of rows) console.log(`| ${alg.name} | ${t} | ${name} | ${q(xs, 0.1).toFixed(2)} | ${q(xs, 0.5).toFixed(2)} | ${q(xs, 0.9).toFixed(2)} | ${mean(xs).toFixed(2)} |`);
  }
}
closeIdleThreads();
