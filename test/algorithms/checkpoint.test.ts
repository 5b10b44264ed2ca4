// JSON checkpoints (docs/algorithms.md): a server and clients restored mid-run continue the
// trajectory bit for bit, even between broadcast and receive; a tampered or mismatched
// checkpoint is an E_STATE error.
import { describe, expect, it } from "vitest";
import { algorithmFromState, type AlgorithmClient, type AlgorithmServer, type ClientId } from "../../src/algorithms/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { algo, heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(4, 12, 3);
const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 8n, 4));

function run(server: AlgorithmServer, clients: AlgorithmClient[], from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const down = k === from && server.pending ? null : server.broadcast(k);
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, b] of down ?? pendingDownlinks) up.set(id, clients[id]!.step(k, b, oracles[id]!));
    server.receive(k, up);
  }
}
let pendingDownlinks = new Map<ClientId, Uint8Array>();

describe("checkpoints", () => {
  for (const name of ["sgd", "diana", "artemis", "artemis-nd", "mcm", "rand-mcm", "dore", "artemis-ef", "double-squeeze", "ef-sgd"]) {
    it(`${name}: restore from JSON mid-run, continue bit for bit`, () => {
      const a = algo(name, { gamma: 0.2 / P.L, participation: 0.6 });
      const w0 = new Float64Array(3);
      const mk = () => ({ server: a.createServer({ w0, clients: 4, seed: 8 }), clients: [0, 1, 2, 3].map((id) => a.createClient({ id, w0, seed: 8 })) });
      const ref = mk();
      run(ref.server, ref.clients, 0, 20);

      const b = mk();
      run(b.server, b.clients, 0, 9);
      pendingDownlinks = b.server.broadcast(9);            // checkpoint inside round 9
      const json = JSON.parse(JSON.stringify({ s: b.server.toJSON(), c: b.clients.map((c) => c.toJSON()) }));
      const a2 = algorithmFromState(json.s);
      const server = a2.restoreServer(json.s);
      const clients = json.c.map((c: never) => a2.restoreClient(c));
      run(server, clients, 9, 20);
      expect(sameBits(server.model, ref.server.model)).toBe(true);
      for (let i = 0; i < 4; i++) expect(sameBits(clients[i].model, ref.clients[i]!.model)).toBe(true);
    });
  }

  // The field names are the checkpoint format (version 1): files written before a refactor must load after it.
  it.each([
    ["sgd", ["history", "latest", "w"], ["applied", "w"]],
    ["artemis", ["history", "memory", "w"], ["applied", "memory", "w"]],
    ["artemis-nd", ["history", "memory", "w"], ["applied", "memory", "view"]],
    ["mcm", ["H", "history", "memory", "w"], ["H", "applied", "memory", "view"]],
    ["rand-mcm", ["Hi", "memory", "w"], ["H", "memory", "view"]],
    ["dore", ["e", "history", "memory", "x"], ["applied", "memory", "x"]],
    ["artemis-ef", ["e", "history", "memory", "w"], ["applied", "memory", "w"]],
    ["double-squeeze", ["delta", "history", "x"], ["applied", "delta", "x"]],
    ["ef-sgd", ["e", "history", "x"], ["applied", "e", "x"]],
  ])("%s keeps its version-1 checkpoint fields", (name, serverKeys, clientKeys) => {
    const a = algo(name, { gamma: 0.1 });
    expect(Object.keys(a.createServer({ w0: [0, 0, 0], clients: 2, seed: 1 }).toJSON().data).sort()).toEqual(serverKeys);
    expect(Object.keys(a.createClient({ id: 0, w0: [0, 0, 0], seed: 1 }).toJSON().data).sort()).toEqual(clientKeys);
  });

  // A per-client list with one client twice and another missing has the right length: it must not
  // load, or the missing client's vector would silently stay at its initial value.
  it.each([
    ["artemis active-workers memory", "artemis", { serverMemory: "active-workers" as const }, (d: Record<string, unknown>) => (d.memory as { hi: unknown[][] }).hi],
    ["rand-mcm downlink memories", "rand-mcm", {}, (d: Record<string, unknown>) => d.Hi as unknown[][]],
    ["artemis catch-up history", "artemis", {}, (d: Record<string, unknown>) => (d.history as { next: unknown[][] }).next],
  ])("a checkpoint listing one client twice in its %s is E_STATE", (_what, name, cfg, list) => {
    const a = algo(name, { gamma: 0.1, ...cfg });
    const state = JSON.parse(JSON.stringify(a.createServer({ w0: [0, 0, 0], clients: 2, seed: 1 }).toJSON()));
    const entries = list(state.data);
    entries[1] = [entries[0]![0], ...entries[1]!.slice(1)];
    expect(() => a.restoreServer(state)).toThrow(expect.objectContaining({ code: "E_STATE", message: expect.stringMatching(/two entries for client 0/) }));
  });

  it("a checkpoint whose round in progress lists a client twice is E_STATE (its uplink would count twice)", () => {
    const a = algo("artemis", { gamma: 0.1 });
    const server = a.createServer({ w0: [0, 0, 0], clients: 2, seed: 1 });
    server.broadcast(0);
    const state = { ...server.toJSON(), pending: [0, 0] };
    expect(() => a.restoreServer(state)).toThrow(/E_STATE.*distinct known client ids/);
  });

  it("a checkpoint of another config, a truncated vector or a bad format is E_STATE", () => {
    const a = algo("artemis", { gamma: 0.1 });
    const s = a.createServer({ w0: [0, 0, 0], clients: 2, seed: 1 }).toJSON();
    const other = algo("artemis", { gamma: 0.2 });
    expect(() => other.restoreServer(s)).toThrow(expect.objectContaining({ code: "E_STATE" }));
    expect(() => a.restoreServer({ ...s, format: "x" } as never)).toThrow(/format is x/);
    expect(() => a.restoreServer({ ...s, data: { ...s.data, w: "AAAA" } })).toThrow(/server model holds 0.375 values, expected 3|server model/);
    expect(() => algo("biqsgd", { gamma: 0.1 }).restoreServer(s)).toThrow(/of algorithm artemis, not biqsgd/);
  });
});
