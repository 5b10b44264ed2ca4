// Load: how many concurrent clients one `serveFederation` holds on this machine with a small
// model and one round per second (issue #10, "Load and soak figures"). Server and N clients
// (joinFederationNode, the `ws` client) run in this one process over 127.0.0.1; the script runs
// R rounds (roundGapMs 1000), then prints the round durations and the resident memory per client
// (server + client sides together). Bounded: stops after R rounds or 10 minutes.
// usage: npx tsx scripts/fed-load.ts [clients=500] [rounds=10]
import { ready } from "../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../src/federation/transport/algorithm-driver.js";
import { serveFederation } from "../src/federation/transport/server-node.js";
import { joinFederationNode } from "../src/federation/transport/client-node.js";

const clients = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 10);
await ready();
const session = {
  algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
  problem: { kind: "logistic" as const, clients, perClient: 20, seed: 1 }, seed: 7, rounds, batchSize: 10,
};
const guard = setTimeout(() => { console.error("load: 10 minute bound reached"); process.exit(3); }, 600_000);
const rss0 = process.memoryUsage().rss;
const driver = await createAlgorithmRoundDriver(session, { evaluate: false });
const tokens = Array.from({ length: clients }, (_, i) => `load-token-${i}-${"x".repeat(8)}`);
const times: number[] = [];
let last = performance.now();
const srv = await serveFederation(driver, {
  tokens, deadlineMs: 30_000, maxFrameBytes: 1 << 16, roundGapMs: 1000, maxPending: 1024,
  onRound: (r) => { const t = performance.now(); times.push(t - last); last = t; if (r.round === 0) rssRound0 = process.memoryUsage().rss; },
});
let rssRound0 = 0;
const factory = algorithmParticipantFactory();
const t0 = performance.now();
const members = tokens.map((token) => joinFederationNode(srv.url, { token, factory }));
const results = await Promise.all(members.map((m) => m.result));
const done = await srv.finished;
await srv.close();
clearTimeout(guard);
const full = done.reports.filter((r) => r.participants.length === clients).length;
console.log(`clients ${clients}, rounds ${rounds}: ${full} rounds with every client, total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`round durations (ms, incl. the 1000 ms gap after round 0): ${times.map((t) => t.toFixed(0)).join(" ")}`);
console.log(`resident memory: ${(rss0 / 2 ** 20).toFixed(0)} MB before, ${(rssRound0 / 2 ** 20).toFixed(0)} MB after round 0 → ${((rssRound0 - rss0) / clients / 1024).toFixed(0)} KiB per client (server and client side together)`);
console.log(`accepted uplinks per client: min ${Math.min(...results.map((r) => r.accepted))}`);
