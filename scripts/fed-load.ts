// Load: how many concurrent clients one `serveFederation` holds on this machine with a small
// model and one round per second (issue #10, "Load and soak figures"). Server and N clients
// (joinFederationNode, the `ws` client) run in this one process over 127.0.0.1; rounds open on a
// fixed cadence (roundEveryMs 1000: round k+1 opens 1 s after round k opened, at once if round k
// overran — then its report says late). Prints rounds on time / late, round durations, CPU and
// resident memory per client (server + client sides together). Bounded: R rounds or 10 minutes.
// usage: npx tsx scripts/fed-load.ts [clients=500] [rounds=10] [periodMs=1000]
import { ready } from "../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../src/federation/transport/algorithm-driver.js";
import { serveFederation } from "../src/federation/transport/server-node.js";
import { joinFederationNode } from "../src/federation/transport/client-node.js";
import type { RoundDriver } from "../src/federation/transport/driver.js";

const clients = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 10);
const period = Number(process.argv[4] ?? 1000);
await ready();
const session = {
  algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
  problem: { kind: "logistic" as const, clients, perClient: 20, seed: 1 }, seed: 7, rounds, batchSize: 10,
};
const guard = setTimeout(() => { console.error("load: 10 minute bound reached"); process.exit(3); }, 600_000);
const rss0 = process.memoryUsage().rss;
const driver: RoundDriver = await createAlgorithmRoundDriver(session, { evaluate: false });
// each round's open and close (performance.now): the open is the driver's open, called by the coordinator
const opened: number[] = [];
const closed: number[] = [];
const cpuAt: number[] = [];
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const open = driver.open.bind(driver);
driver.open = (round, candidates) => { opened[round] = performance.now(); if (round === 1) cpuAt.push(cpu()); return open(round, candidates); };
const tokens = Array.from({ length: clients }, (_, i) => `load-token-${i}-${"x".repeat(8)}`);
let rssRound0 = 0;
let rssPeak = 0;
const srv = await serveFederation(driver, {
  tokens, deadlineMs: 30_000, maxFrameBytes: 1 << 16, roundEveryMs: period, maxPending: 2048, maxPendingPerAddress: 2048,
  onRound: (r) => {
    closed[r.round] = performance.now();
    const rss = process.memoryUsage().rss;
    if (r.round === 0) rssRound0 = rss;
    rssPeak = Math.max(rssPeak, rss);
  },
});
const factory = algorithmParticipantFactory();
const t0 = performance.now();
const members = tokens.map((token) => joinFederationNode(srv.url, { token, factory }));
const results = await Promise.all(members.map((m) => m.result));
const done = await srv.finished;
const cpuEnd = cpu();
await srv.close();
clearTimeout(guard);
const full = done.reports.filter((r) => r.participants.length === clients).length;
// round 0 waits for every client to connect: the cadence is measured from round 1 on
const steady = done.reports.slice(1);
const late = steady.filter((r) => r.late).length;
const dur = steady.map((r) => closed[r.round]! - opened[r.round]!);
const starts = steady.slice(1).map((r) => opened[r.round]! - opened[r.round - 1]!);
const f = (xs: number[]): string => xs.map((t) => t.toFixed(0)).join(" ");
const steadyWall = closed[rounds - 1]! - opened[1]!;
console.log(`clients ${clients}, rounds ${rounds}, one round every ${period} ms: ${full} rounds with every client, total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`rounds 1–${rounds - 1}: ${steady.length - late} on time, ${late} late (took longer than ${period} ms)`);
console.log(`round work (open → close, ms): ${f(dur)}`);
console.log(`round starts apart (ms):       ${f(starts)}`);
console.log(`CPU from round 1's opening to the end: ${(cpuEnd - cpuAt[0]!).toFixed(0)} ms in ${steadyWall.toFixed(0)} ms of wall time (${(100 * (cpuEnd - cpuAt[0]!) / steadyWall).toFixed(0)}% of one core; server and clients in this process)`);
console.log(`resident memory: ${(rss0 / 2 ** 20).toFixed(0)} MB before, ${(rssRound0 / 2 ** 20).toFixed(0)} MB after round 0 (peak ${(rssPeak / 2 ** 20).toFixed(0)} MB) → ${((rssRound0 - rss0) / clients / 1024).toFixed(0)} KiB per client (server and client side together)`);
console.log(`accepted uplinks per client: min ${Math.min(...results.map((r) => r.accepted))}`);
