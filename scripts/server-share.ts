// `npx tsx scripts/server-share.ts [--quick] [--steps K]`: what the serial part of an E4 BNN
// round is made of (issue #13, docs/scaling.md "What remains serial"). The E4 chains of
// `npm run scaling -- --case e4-bnn` (QLSD++ and SGLD, b = 100 clients of MNIST, d = 25,450,
// batch 10; --quick: b = 20) run on one thread with their clients on a one-thread pool, and each
// server step (broadcast, receive: uplink checks and decode, aggregation, Langevin noise, the
// downlink encode, the memory step) is timed in CPU time of the process — with one thread only
// the main thread computes, so this is its CPU time (GC helpers aside), not the load's wall time.
// Profiling wraps the methods of the algorithms' prototypes: nothing of the library changes.
import { ArtemisServer } from "../src/algorithms/artemis.js";
import { ServerMemory } from "../src/algorithms/memory.js";
import { ServerBase } from "../src/algorithms/server-base.js";
import { SharedDownlinkServer } from "../src/algorithms/shared.js";
import { ClientPool, closeIdleThreads, samplerRecipe } from "../src/federation/pool/index.js";
import { ready } from "../src/kernel/index.js";
import type { Chain } from "../src/sampling/index.js";
import { e4Problem } from "./e4-problem.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const steps = args.includes("--steps") ? Number(args[args.indexOf("--steps") + 1]) : 20;
await ready();
// the E4 case of scripts/scaling.ts
const { b, objective: obj, samplers } = e4Problem(quick);

const spent = new Map<string, number>();
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const add = (k: string, ms: number) => spent.set(k, (spent.get(k) ?? 0) + ms);
function time(proto: object, method: string, key: string): void {
  const p = proto as Record<string, (...a: unknown[]) => unknown>, f = p[method]!;
  p[method] = function (this: unknown, ...a: unknown[]) { const t = cpuMs(); try { return f.apply(this, a); } finally { add(key, cpuMs() - t); } };
}
time(ServerBase.prototype, "broadcast", "server: broadcast (downlink envelopes)");
time(ServerBase.prototype, "receive", "server: receive (all)");
time(ServerBase.prototype, "decodeUplink", "  receive: uplink checks + decode");
time(ArtemisServer.prototype, "update", "  receive: update (all)");
time(ServerMemory.prototype, "aggregate", "    update: aggregate Σ uplinks");
time(ServerBase.prototype, "beforeApply", "    update: Langevin noise");
time(SharedDownlinkServer.prototype, "sendShared", "    update: downlink encode");
time(ServerMemory.prototype, "update", "    update: memory step");

const order = ["round (all)", "clients: steps + their decode", "server: broadcast (downlink envelopes)", "server: receive (all)", "  receive: uplink checks + decode",
  "  receive: update (all)", "    update: aggregate Σ uplinks", "    update: Langevin noise", "    update: downlink encode", "    update: memory step"];
console.log(`E4 BNN${quick ? " (quick)" : ""}: b = ${b} clients, d = ${obj.dim}; ${steps} rounds per chain after 3 untimed; CPU ms per round`);
for (const alg of samplers) {
  const init = () => alg.init({
    seed: 1, parallel: (job) => {
      const pool = new ClientPool(1, samplerRecipe(job), job.model.clients.map((_, i) => i), (i) => job.model.clients[i]!);
      return {
        step: (r, d) => { const t = cpuMs(); const u = pool.step(r, d); add("clients: steps + their decode", cpuMs() - t); return u; },
        save: () => pool.save(), load: (c, o) => pool.load(c, o), close: () => pool.close(),
      };
    },
  });
  const warm = init();
  for (let k = 0; k < 3; k++) warm.step();
  warm.close?.();
  spent.clear();
  const chain: Chain = init();
  for (let k = 0; k < steps; k++) { const t = cpuMs(); chain.step(); add("round (all)", cpuMs() - t); }
  chain.close?.();
  const round = spent.get("round (all)")!, serial = round - spent.get("clients: steps + their decode")!;
  console.log(`\n${alg.name}: serial ${(serial / steps).toFixed(2)} ms per round = ${(100 * serial / round).toFixed(1)} % of the one-thread round`);
  for (const k of order) console.log(`  ${k.padEnd(42)} ${((spent.get(k) ?? 0) / steps).toFixed(2).padStart(8)}  ${(100 * (spent.get(k) ?? 0) / round).toFixed(1).padStart(5)} %`);
}
closeIdleThreads();
