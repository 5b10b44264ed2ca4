// Memory and time one joining client spends building its data (issue #10, problem 10): the
// former way (every client's shard: buildProblem, then shards[i]) against the current one
// (algorithmParticipantFactory → buildClientProblem: its own shard only; for MNIST, once from all
// `count` digits and once with the selective loader: labels first, then its own rows). Each measurement runs
// in a fresh child process, so its peak resident memory (maxRSS) is that build's alone; CPU time
// is user + system of the build. Bounded: each child is killed after 5 minutes.
// usage: npx tsx scripts/fed-join-memory.ts [clients=100] [rowsPerClient=100000]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ready } from "../src/kernel/index.js";
import { algorithmParticipantFactory } from "../src/federation/transport/algorithm-driver.js";
import { buildProblem } from "../src/federation/transport/problem.js";
import { checkSession } from "../src/federation/transport/session.js";
import { minibatchOracle } from "../src/federation/simulator-oracle.js";
import { mnistDigits, mnistSelection } from "../src/data/mnist-node.js";

const digits = (count: number, seed: number) => mnistDigits({ count, seed });
// the CLI's loader (serve.ts nodeDigits): the same digits, plus labels-then-rows
const selective = Object.assign((count: number, seed: number) => mnistDigits({ count, seed }), { select: (count: number, seed: number) => mnistSelection({ count, seed }) });
const session = (problem: unknown) => ({
  algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } } },
  problem, seed: 7, rounds: 10, batchSize: 16,
});

async function child(way: "all" | "own" | "rows", problem: unknown, client: number): Promise<void> {
  await ready();
  const s = session(problem);
  const rss0 = process.memoryUsage().rss;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (way === "all") {
    // what algorithmParticipantFactory did before: the whole problem, then this client's shard
    const { algorithm, seed, batchSize, spec } = checkSession(s);
    const p = await buildProblem(spec.problem, digits);
    const shard = p.shards[client]!;
    minibatchOracle(p.objective, shard, seed, batchSize);
    algorithm.createClient({ id: client, w0: new Float64Array(p.dim), seed });
  } else {
    await algorithmParticipantFactory({ loadDigits: way === "rows" ? selective : digits })(s, client);
  }
  const cpu = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024; // KiB → bytes
  console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: wall, rss0, peak }));
}

if (process.argv[2] === "--child") {
  await child(process.argv[3] as "all" | "own" | "rows", JSON.parse(process.argv[4]!), Number(process.argv[5]));
} else {
  const clients = Number(process.argv[2] ?? 100);
  const perClient = Number(process.argv[3] ?? 100_000);
  const cases: { name: string; problem: unknown; client: number }[] = [
    { name: `logistic, ${clients} clients × ${perClient} rows`, problem: { kind: "logistic", clients, perClient, seed: 1 }, client: clients - 1 },
    { name: `MNIST, ${clients} clients, 10,000 digits`, problem: { kind: "mnist", clients, count: 10_000, seed: 1 }, client: clients - 1 },
  ];
  const self = fileURLToPath(import.meta.url);
  const run = (way: string, c: (typeof cases)[number]) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", way, JSON.stringify(c.problem), String(c.client)], { encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) throw new Error(`child ${way} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as { cpuMs: number; wallMs: number; rss0: number; peak: number };
  };
  const MB = (b: number) => (b / 2 ** 20).toFixed(0);
  for (const c of cases) {
    const all = run("all", c), own = run("own", c);
    console.log(`${c.name}, one joining client:`);
    console.log(`  every shard (before): peak RSS ${MB(all.peak)} MB (${MB(all.peak - all.rss0)} MB above the process's start), CPU ${all.cpuMs.toFixed(0)} ms, wall ${all.wallMs.toFixed(0)} ms`);
    const line = (what: string, m: typeof own) => `  ${what} peak RSS ${MB(m.peak)} MB (${MB(m.peak - m.rss0)} MB above the process's start), CPU ${m.cpuMs.toFixed(0)} ms, wall ${m.wallMs.toFixed(0)} ms`;
    const ratio = (m: typeof own) => `memory above start ${((all.peak - all.rss0) / Math.max(1, m.peak - m.rss0)).toFixed(1)}×, CPU ${(all.cpuMs / m.cpuMs).toFixed(1)}×`;
    console.log(line("own shard (now):     ", own));
    console.log(`  ratio before/now: ${ratio(own)}`);
    if ((c.problem as { kind: string }).kind === "mnist") {
      const rows = run("rows", c);
      console.log(line("own shard, labels then own rows (the CLI's loader):", rows));
      console.log(`  ratio before/labels-then-rows: ${ratio(rows)}`);
    }
  }
}
