// memoryInit "first-gradient" (the Artemis/MCM authors' smart initialisation, src/algorithms/memory.ts):
// h^i_0 = g^i at the worker's first gradient, sent once uncompressed. Consequences checked from the
// equations, not from the implementation: with full participation and DIANA's exact downlink the
// first step is w_1 = w_0 − γ (1/N) Σ_i C_up(g^i − f32(g^i)) − γ (1/N) Σ_i f32(g^i), i.e. the exact
// mean gradient up to float32 rounding of g (relative 2^-24 per coordinate, plus the compressed
// rounding residual, of the same size); the extra uplink costs exactly 32·D payload bits, once per
// worker; the server refuses a first uplink without it; checkpoints taken before some workers
// started continue bit for bit. (Trajectories against the naive reference: reference/trajectory.test.ts.)
import { describe, expect, it } from "vitest";
import { algorithmFromState, createAlgorithm, envelopeBits, readEnvelope, writeEnvelope, type AlgorithmClient, type AlgorithmServer, type ClientId } from "../../src/algorithms/index.js";
import { messageBits } from "../../src/wire/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { drive, heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const N = 4, D = 6;
const P = heterogeneousLsr(N, 12, D, 5);
const gamma = 0.5 / P.L;

/** (1/N) Σ_i ∇F_i(w) in float64, from the objective (full batch). */
function meanGrad(w: Float64Array): Float64Array {
  const g = new Float64Array(D), gi = new Float64Array(D);
  for (const d of P.workers) { P.objective.grad(w, d, gi); for (let t = 0; t < D; t++) g[t] += gi[t]! / N; }
  return g;
}

describe("memoryInit \"first-gradient\"", () => {
  it("DIANA, full participation: the first step is the exact mean gradient step (QSGD s = 1 uplink); with h_0 = 0 it is not", () => {
    const w0 = new Float64Array(D);
    const step = (memoryInit: "zero" | "first-gradient") => drive(createAlgorithm("diana", { gamma, memoryInit }), P.workers, P.objective, 1, 3).models[0]!;
    const g = meanGrad(w0), exact = Array.from(g, (v) => -gamma * v);
    const scale = Math.max(...exact.map(Math.abs));
    const errInit = Math.max(...Array.from(step("first-gradient"), (v, t) => Math.abs(v - exact[t]!)));
    const errZero = Math.max(...Array.from(step("zero"), (v, t) => Math.abs(v - exact[t]!)));
    // f32 rounding of g (2^-24 relative) and C_up of that rounding residual (≤ √D · its norm): 1e-6 of the step
    expect(errInit).toBeLessThanOrEqual(1e-6 * scale);
    // QSGD s = 1 of g itself: an O(‖g‖) error, orders of magnitude above
    expect(errZero).toBeGreaterThan(1e-2 * scale);
  });

  it("the first uplink of each worker carries h^i_0 as 32·D uncompressed payload bits, later ones do not", () => {
    const t = drive(createAlgorithm("artemis", { gamma, memoryInit: "first-gradient", participation: 0.5 }), P.workers, P.objective, 12, 4);
    const seen = new Set<ClientId>();
    let firsts = 0;
    t.uplinks.forEach((ups) => {
      for (const [id, bytes] of ups) {
        const s = readEnvelope(bytes).sections;
        if (!seen.has(id)) {
          expect(s.map((x) => x.slot)).toEqual([0, 1]);
          expect(messageBits(s[1]!.bytes).payloadBits).toBe(32 * D);
          expect(envelopeBits(bytes).payloadBits).toBe(messageBits(s[0]!.bytes).payloadBits + 32 * D);
          seen.add(id); firsts++;
        } else expect(s.map((x) => x.slot)).toEqual([0]);
      }
    });
    expect(firsts).toBe(N);
  });

  it("the server refuses a first uplink without h^i_0 (E_PROTOCOL) and takes nothing from it", () => {
    const a = createAlgorithm("mcm", { gamma, memoryInit: "first-gradient" });
    const w0 = new Float64Array(D);
    const server = a.createServer({ w0, clients: N, seed: 2 });
    const clients = P.workers.map((_, i) => a.createClient({ id: i, w0, seed: 2 }));
    const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 2n, "full"));
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, b] of server.broadcast(0)) up.set(id, clients[id]!.step(0, b, oracles[id]!));
    const env = readEnvelope(up.get(1)!);
    const stripped = new Map(up);
    stripped.set(1, writeEnvelope({ direction: "up", algorithm: a.id, client: 1, round: 0, sections: [env.sections[0]!] }));
    const before = server.model.slice();
    expect(() => server.receive(0, stripped)).toThrow(expect.objectContaining({ code: "E_PROTOCOL" }));
    expect(sameBits(server.model, before)).toBe(true);
    server.receive(0, up);
    expect(sameBits(server.model, before)).toBe(false);
  });

  it("the server refuses misplaced sections: slots swapped, a section of another round, a second h^i_0 (E_PROTOCOL, nothing taken)", () => {
    const a = createAlgorithm("artemis", { gamma, memoryInit: "first-gradient" });
    const w0 = new Float64Array(D);
    const server = a.createServer({ w0, clients: N, seed: 6 });
    const clients = P.workers.map((_, i) => a.createClient({ id: i, w0, seed: 6 }));
    const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 6n, "full"));
    const round = (k: number) => {
      const up = new Map<ClientId, Uint8Array>();
      for (const [id, b] of server.broadcast(k)) up.set(id, clients[id]!.step(k, b, oracles[id]!));
      return up;
    };
    const refuse = (k: number, up: Map<ClientId, Uint8Array>, sections: { round: number; slot: number; bytes: Uint8Array }[], message: RegExp) => {
      const bad = new Map(up);
      bad.set(2, writeEnvelope({ direction: "up", algorithm: a.id, client: 2, round: k, sections }));
      const before = server.model.slice();
      expect(() => server.receive(k, bad)).toThrow(expect.objectContaining({ code: "E_PROTOCOL", message: expect.stringMatching(message) }));
      expect(sameBits(server.model, before)).toBe(true);
    };
    const up0 = round(0), [d0, i0] = readEnvelope(up0.get(2)!).sections;
    refuse(0, up0, [{ ...d0!, slot: 1 }, { ...i0!, slot: 0 }], /its compressed vector and its initial memory \(slots 0 and 1\) of round 0/);
    refuse(0, up0, [d0!, { ...i0!, round: 1 }], /slots 0 and 1/);
    refuse(0, up0, [{ ...d0!, round: 1 }, i0!], /slots 0 and 1/);
    server.receive(0, up0);
    // from round 1 on the workers have started: one section, slot 0, of the round
    const up1 = round(1), [d1] = readEnvelope(up1.get(2)!).sections;
    refuse(1, up1, [{ ...d1!, slot: 1 }], /must hold one vector of round 1/);
    refuse(1, up1, [{ ...d1!, round: 0 }], /one vector/);
    refuse(1, up1, [d1!, { ...i0!, round: 1 }], /one vector/);
    server.receive(1, up1);
  });

  it.each(["sgd", "qsgd", "biqsgd", "double-squeeze", "ef-sgd"])("%s (no uplink memory) does not take memoryInit", (name) => {
    expect(() => createAlgorithm(name, { gamma, memoryInit: "first-gradient" })).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });

  it("a bad value, or first-gradient without a memory (α = 0), is an E_CONFIG", () => {
    expect(() => createAlgorithm("artemis", { gamma, memoryInit: "first" as never })).toThrow(/memoryInit must be "zero" or "first-gradient"/);
    expect(() => createAlgorithm("dore", { gamma, alpha: 0, memoryInit: "first-gradient" })).toThrow(/needs an uplink memory/);
    // "zero" is the default: the same resolved config (and checkpoint key) as leaving it out
    expect(createAlgorithm("diana", { gamma, memoryInit: "zero" }).config).toEqual(createAlgorithm("diana", { gamma }).config);
  });

  for (const [name, extra] of [["artemis", {}], ["artemis", { serverMemory: "active-workers" }], ["rand-mcm", {}], ["dore", {}], ["artemis-ef", {}]] as const) {
    it(`${name} ${JSON.stringify(extra)}: a checkpoint taken before every worker started continues bit for bit`, () => {
      const a = createAlgorithm(name, { gamma, participation: 0.3, memoryInit: "first-gradient", ...extra });
      const w0 = new Float64Array(D);
      const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 9n, 4));
      const mk = () => ({ server: a.createServer({ w0, clients: N, seed: 9 }), clients: P.workers.map((_, i) => a.createClient({ id: i, w0, seed: 9 })) });
      const run = (s: AlgorithmServer, cs: AlgorithmClient[], from: number, to: number) => {
        for (let k = from; k < to; k++) {
          const up = new Map<ClientId, Uint8Array>();
          for (const [id, b] of s.broadcast(k)) up.set(id, cs[id]!.step(k, b, oracles[id]!));
          s.receive(k, up);
        }
      };
      const ref = mk();
      run(ref.server, ref.clients, 0, 15);
      const b = mk();
      run(b.server, b.clients, 0, 1);
      const json = JSON.parse(JSON.stringify({ s: b.server.toJSON(), c: b.clients.map((c) => c.toJSON()) }));
      // at p = 0.3 some worker has not started after one round (the point of this test)
      expect(json.s.data.memory.started.length).toBeLessThan(N);
      const a2 = algorithmFromState(json.s);
      const server = a2.restoreServer(json.s), clients = json.c.map((c: never) => a2.restoreClient(c));
      run(server, clients, 1, 15);
      expect(sameBits(server.model, ref.server.model)).toBe(true);
      for (let i = 0; i < N; i++) expect(sameBits(clients[i].model, ref.clients[i]!.model)).toBe(true);
    });
  }
});
