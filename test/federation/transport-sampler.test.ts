// The federated samplers over the transport: a QLSD chain driven by a Coordinator and Participants
// (in-memory links, then loopback WebSockets) gives the in-process chain's θ trajectory bit for bit.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { createCompressor } from "../../src/compressors/registry.js";
import { gaussianToy } from "../../src/data/index.js";
import { gaussianMean } from "../../src/models/index.js";
import { bayesModel, chainSeed, clientPotential, federatedSampler, flatPrior, type SamplerParams } from "../../src/sampling/index.js";
import { Coordinator, Participant, linkPair, createSamplerRoundDriver, samplerParticipantFactory } from "../../src/federation/transport/index.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";

beforeAll(async () => { await ready(); });
const servers: FederationServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

const ROUNDS = 20, SEED = 7, CHAIN = 0;
// heterogeneous: each client's data is centred at its own mean (spread 5)
const toy = gaussianToy({ clients: 4, dim: 3, perClient: 20, seed: 5, spread: 5 });
const model = bayesModel({ likelihood: gaussianMean({ p: 3 }), prior: flatPrior(), clients: toy.clients });

const cases: [string, () => SamplerParams][] = [
  ["QLSD++ (memory, ℓ = 5, 3 of 4 clients per round)", () => ({ algorithm: "qlsd++", stepSize: 2e-3, batchSize: 4, compressor: createCompressor("qsgd", { s: 2 }), refresh: 5, participation: 3 })],
  ["QLSD++ without memory, full participation", () => ({ algorithm: "qlsd++", stepSize: 2e-3, batchSize: 4, compressor: createCompressor("qsgd", { s: 2 }), refresh: 5, memory: false })],
  ["QLSD#", () => ({ algorithm: "qlsd#", stepSize: 2e-3, batchSize: 5, compressor: createCompressor("qsgd", { s: 4 }) })],
];

function inProcess(p: SamplerParams): Float64Array[] {
  const chain = federatedSampler(model, p).init({ seed: SEED, chain: CHAIN });
  const out: Float64Array[] = [];
  for (let k = 0; k < ROUNDS; k++) { chain.step(); out.push(chain.theta.slice()); }
  return out;
}

function driverOf(p: SamplerParams) {
  const trace: Float64Array[] = [];
  const driver = createSamplerRoundDriver({
    params: federatedSampler(model, p).params, seed: chainSeed(SEED, CHAIN), rounds: ROUNDS,
    observe: ({ theta }) => trace.push(theta.slice()),
  });
  // each client builds its potential from its own shard only
  const factory = samplerParticipantFactory({ potential: (i) => clientPotential(model, i) });
  return { driver, trace, factory };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms).unref())]);

describe("federated samplers over the transport = in-process chain", () => {
  it.each(cases)("%s over in-memory links", async (_name, params) => {
    const p = params();
    const { driver, trace, factory } = driverOf(p);
    const n = model.clients.length;
    const coord = new Coordinator(driver, { tokens: Array.from({ length: n }, (_, i) => `t${i}`), deadlineMs: 10_000, maxFrameBytes: 1 << 20 });
    const ends = Array.from({ length: n }, (_, i) => {
      const [a, b] = linkPair(`client-${i}`, "server");
      const part = new Participant({ token: `t${i}`, factory });
      coord.attach(a);
      return part.attach(b);
    });
    try {
      const done = await withTimeout(coord.finished, 10_000, "session");
      await withTimeout(Promise.all(ends), 10_000, "participants");
      expect(done.reports).toHaveLength(ROUNDS);
      expect(done.reports.every((r) => r.absent.length === 0)).toBe(true);
    } finally { coord.stop(); }
    expect(trace[ROUNDS - 1]).not.toEqual(trace[0]); // the chain moved
    expect(trace).toEqual(inProcess(p));
  });

  it.each(cases)("%s over loopback WebSockets", async (_name, params) => {
    const p = params();
    const { driver, trace, factory } = driverOf(p);
    const tokens = model.clients.map((_, i) => `t${i}`);
    const srv = await serveFederation(driver, { tokens, deadlineMs: 10_000, maxFrameBytes: 1 << 20, host: "127.0.0.1", port: 0 });
    servers.push(srv);
    const members = tokens.map((token) => joinFederationNode(srv.url, { token, factory }));
    const done = await withTimeout(srv.finished, 15_000, "session");
    await withTimeout(Promise.all(members.map((m) => m.result)), 15_000, "members");
    expect(done.reports).toHaveLength(ROUNDS);
    expect(done.reports.every((r) => r.absent.length === 0)).toBe(true);
    expect(trace).toEqual(inProcess(p));
  });
});
