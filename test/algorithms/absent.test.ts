// Rounds closed without some drawn clients (receive(k, uplinks, { allowAbsent: true }): a deadline
// passed, a client vanished): the absent clients are treated exactly as if they had not been
// drawn, and when they come back (with their state rewound to before the unused step) they catch
// up exactly. docs/algorithms.md "The round protocol".
import { describe, expect, it } from "vitest";
import { readEnvelope, uplinkStream, type AlgorithmClient, type AlgorithmServer, type ClientId, type ClientState } from "../../src/algorithms/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { algo, heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(4, 20, 5);
const gamma = 0.3 / P.L;
const seed = 13;
const w0 = new Float64Array(P.objective.dim);
const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, BigInt(seed), 5));

function parties(name: string, config: Record<string, unknown>) {
  const a = algo(name, { gamma, ...config });
  const server = a.createServer({ w0, clients: P.workers.length, seed });
  const clients = P.workers.map((_, i) => a.createClient({ id: i, w0, seed }));
  return { a, server, clients };
}

/** One round where the clients in `absent` got their downlink but their uplink never arrives. */
function roundWithout(server: AlgorithmServer, clients: AlgorithmClient[], k: number, absent: readonly ClientId[]): Map<ClientId, Uint8Array> {
  const down = server.broadcast(k);
  const up = new Map<ClientId, Uint8Array>();
  for (const [id, bytes] of down) if (!absent.includes(id)) up.set(id, clients[id]!.step(k, bytes, oracles[id]!));
  server.receive(k, up, { allowAbsent: true });
  return down;
}

describe("receive with absent clients", () => {
  it("keeps the strict default: a missing uplink is E_PROTOCOL and names the option", () => {
    const { server, clients } = parties("artemis", {});
    const down = server.broadcast(0);
    const up = new Map([[0, clients[0]!.step(0, down.get(0)!, oracles[0]!)]]);
    expect(() => server.receive(0, up)).toThrow(/missing 1, 2, 3 \(receive\(k, uplinks, \{ allowAbsent: true \}\)/);
    expect(server.round).toBe(0);
    expect(server.pending).toEqual([0, 1, 2, 3]);
  });

  it("still refuses an uplink from a client that was not drawn", () => {
    const { server } = parties("artemis", { participation: { kind: "fixed", m: 2 } });
    const down = server.broadcast(0);
    const other = [0, 1, 2, 3].find((id) => !down.has(id))!;
    expect(() => server.receive(0, new Map([[other, Uint8Array.of(0)]]), { allowAbsent: true })).toThrow(new RegExp(`a subset of the 2 active clients; not active: ${other}`));
    expect(server.round).toBe(0);
  });

  // the run where the absent clients were not drawn, built by hand: the same server state restored
  // with pending = the responders, as if broadcast(k) had drawn only them, then a strict receive
  for (const [name, config] of [
    ["artemis", { participation: 0.75, serverMemory: "all-workers" }],
    ["artemis", { serverMemory: "active-workers" }],
    ["diana", {}],
    ["mcm", { participation: 0.75 }],
    ["rand-mcm", {}],
    ["dore", {}],
    ["double-squeeze", {}],
    ["sgd", {}],
  ] as const) {
    it(`${name} ${JSON.stringify(config)}: the server state equals that of a round where the absent client was not drawn`, () => {
      const { a, server, clients } = parties(name, config);
      for (let k = 0; k < 3; k++) roundWithout(server, clients, k, []);
      const down = server.broadcast(3);
      const drawn = [...down.keys()];
      const absent = drawn[drawn.length - 1]!;
      const up = new Map<ClientId, Uint8Array>();
      for (const id of drawn) if (id !== absent) up.set(id, clients[id]!.step(3, down.get(id)!, oracles[id]!));
      const notDrawn = a.restoreServer({ ...server.toJSON(), pending: drawn.filter((id) => id !== absent) });
      notDrawn.receive(3, up);
      server.receive(3, up, { allowAbsent: true });
      expect(server.toJSON()).toEqual(notDrawn.toJSON());
    });
  }

  it("artemis, fixed m: the aggregate is weighted by 1/|answered| (b/m' with m' responders), memories of the absent unchanged", () => {
    // identity downlink: the server moves by f32(ĝ) exactly, so ĝ can be recomputed by hand
    const { server, clients } = parties("artemis", { participation: { kind: "fixed", m: 3 }, down: "identity", serverMemory: "active-workers" });
    roundWithout(server, clients, 0, []);
    const before = server.inspect();
    const w = before.model!.slice();
    const h = [0, 1, 2, 3].map((i) => before[`memory${i}`]!.slice());
    const down = server.broadcast(1);
    const [first, ...rest] = [...down.keys()];
    const up = new Map<ClientId, Uint8Array>();
    for (const id of rest) up.set(id, clients[id]!.step(1, down.get(id)!, oracles[id]!));
    server.receive(1, up, { allowAbsent: true });

    const qsgd = createCompressor("qsgd", { s: 1 });
    const alpha = 1 / (2 * (qsgd.omega(P.objective.dim) + 1));
    const g = new Float64Array(w.length);
    for (const id of rest) {
      const bytes = readEnvelope(up.get(id)!).sections[0]!.bytes;
      const delta = qsgd.decode(bytes, w.length, uplinkStream(BigInt(seed), 1, id));
      for (let t = 0; t < g.length; t++) g[t] += delta[t]! + h[id]![t]!;
      for (let t = 0; t < g.length; t++) h[id]![t] += alpha * delta[t]!;
    }
    for (let t = 0; t < g.length; t++) w[t] -= gamma * Math.fround(g[t]! / rest.length);
    const after = server.inspect();
    for (let t = 0; t < w.length; t++) expect(after.model![t]).toBeCloseTo(w[t]!, 14);
    for (let i = 0; i < 4; i++) for (let t = 0; t < w.length; t++) expect(after[`memory${i}`]![t]).toBeCloseTo(h[i]![t]!, 14);
    expect(sameBits(after[`memory${first}`]!, before[`memory${first}`]!)).toBe(true);
  });

  it("a round nobody answered moves the model by the memory term alone (fixed m: c = 0, no NaN)", () => {
    const { server, clients } = parties("artemis", { participation: { kind: "fixed", m: 2 } });
    roundWithout(server, clients, 0, [0, 1, 2, 3]);
    expect(server.round).toBe(1);
    expect(server.model.every(Number.isFinite)).toBe(true);
  });
});

describe("a client absent for some rounds catches up exactly when it comes back", () => {
  // client 2 answers nothing in rounds 3–6 (its round-3 uplink is lost after it stepped), and
  // comes back in round 7 with its state restored to before that step
  for (const [name, config] of [
    ["artemis", { serverMemory: "active-workers" }],
    ["diana", { serverMemory: "active-workers" }],
    ["mcm", { serverMemory: "active-workers" }],
    ["rand-mcm", { serverMemory: "active-workers" }],
    ["double-squeeze", {}],
    ["dore", {}],
    ["ef-sgd", {}],
    ["sgd", {}],
  ] as const) {
    it(`${name}: its envelope carries every missed update and its state matches the server's`, () => {
      const { a, server, clients } = parties(name, config);
      let saved: ClientState | undefined;
      for (let k = 0; k < 11; k++) {
        const down = server.broadcast(k);
        const up = new Map<ClientId, Uint8Array>();
        for (const [id, bytes] of down) {
          if (id === 2 && k === 3) saved = clients[2]!.toJSON();        // what a careful client persists
          if (id === 2 && k >= 3 && k <= 6) {
            if (k === 3) clients[2]!.step(k, bytes, oracles[2]!);          // stepped, uplink lost
            continue;
          }
          if (id === 2 && k === 7) {
            clients[2] = a.restoreClient(saved!);                          // the server did not use round 3
            const sections = readEnvelope(bytes).sections.map((s) => s.round);
            expect(sections).toEqual(name === "rand-mcm" ? [6] : [2, 3, 4, 5, 6]);
          }
          up.set(id, clients[id]!.step(k, bytes, oracles[id]!));
          // the shared state every active client must hold (rand-mcm: checked after receive)
          if (name === "mcm") expect(sameBits(clients[id]!.inspect().downMemory!, server.inspect().downMemory!)).toBe(true);
          else if (name !== "rand-mcm") expect(sameBits(clients[id]!.model, server.model)).toBe(true);
        }
        server.receive(k, up, { allowAbsent: true });
        if (name === "rand-mcm") for (const id of up.keys()) expect(sameBits(clients[id]!.inspect().downMemory!, server.inspect()[`downMemory${id}`]!)).toBe(true);
      }
      // uplink memories: the server's copy of each h^i is the client's own, absent client included
      const s = server.inspect();
      for (let i = 0; i < 4; i++) if (s[`memory${i}`]) expect(sameBits(clients[i]!.inspect().memory!, s[`memory${i}`]!)).toBe(true);
    });
  }

  it("a client that keeps a step the server did not use is refused, unchanged, with the reason", () => {
    const { server, clients } = parties("artemis", {});
    roundWithout(server, clients, 0, []);
    const down1 = server.broadcast(1);
    clients[2]!.step(1, down1.get(2)!, oracles[2]!);                    // applies round 0's update
    server.receive(1, new Map([...down1].filter(([id]) => id !== 2).map(([id, b]) => [id, clients[id]!.step(1, b, oracles[id]!)])), { allowAbsent: true });
    const down2 = server.broadcast(2);                                    // re-sends round 0 to client 2
    const state = JSON.stringify(clients[2]!.toJSON());
    expect(() => clients[2]!.step(2, down2.get(2)!, oracles[2]!)).toThrow(/has applied rounds < 1, but the downlink of round 2 starts at round 0.*restore the client's state from before that step/);
    expect(JSON.stringify(clients[2]!.toJSON())).toBe(state);
  });

  it("a checkpoint taken mid-round can close the round without a client (rand-mcm rebuilds its private downlinks)", () => {
    const { a, server, clients } = parties("rand-mcm", {});
    roundWithout(server, clients, 0, []);
    const down = server.broadcast(1);
    const restored = a.restoreServer(JSON.parse(JSON.stringify(server.toJSON())));
    const up = new Map([...down].filter(([id]) => id !== 1).map(([id, b]) => [id, clients[id]!.step(1, b, oracles[id]!)]));
    server.receive(1, up, { allowAbsent: true });
    restored.receive(1, up, { allowAbsent: true });
    expect(restored.toJSON()).toEqual(server.toJSON());
    expect(sameBits(server.inspect().downMemory1!, w0)).toBe(true);   // H^1 did not move
  });
});
