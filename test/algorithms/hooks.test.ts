// Extension points for samplers (docs/algorithms.md "Extension points"; spec/langevin.md): the
// client hook picks the vector compressed, the server hook changes the aggregated direction
// before it is applied and sent, "sum" aggregates Σ_i, fixed-size participation draws m of N.
import { describe, expect, it } from "vitest";
import { activeWeight, createAlgorithm, sampleActive, type ClientId } from "../../src/algorithms/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(4, 10, 3);
const oracle = (i: number) => minibatchOracle(P.objective, P.workers[i]!, 1n, "full");
const zero = new Float64Array(3);

function oneRound(name: string, cfg: object, hooks: { client?: (id: number) => object; server?: object }) {
  const a = createAlgorithm(name, { gamma: 0.5, ...cfg });
  const server = a.createServer({ w0: zero, clients: 4, seed: 3, hooks: hooks.server as never });
  const clients = [0, 1, 2, 3].map((id) => a.createClient({ id, w0: zero, seed: 3, hooks: hooks.client?.(id) as never }));
  const down = server.broadcast(0);
  server.receive(0, new Map([...down].map(([id, b]) => [id, clients[id]!.step(0, b, oracle(id))])));
  return { server, clients, a };
}

describe("hooks", () => {
  it("beforeCompress replaces what a client sends: the server averages the hooked vectors", () => {
    const { server } = oneRound("sgd", {}, { client: (id) => ({ beforeCompress: (v: Float64Array) => v.fill(id + 1) }) });
    // mean of 1, 2, 3, 4 = 2.5 (exact in f32); w_1 = 0 − 0.5 · 2.5
    expect(Array.from(server.model)).toEqual([-1.25, -1.25, -1.25]);
  });

  it("beforeApply changes the direction the server applies and sends: workers follow it", () => {
    const shift = Float64Array.of(1, -2, 0.5);
    const plain = oneRound("artemis", { up: "identity", down: "identity", alpha: 0 }, {});
    const hooked = oneRound("artemis", { up: "identity", down: "identity", alpha: 0 }, {
      server: { beforeApply: (d: Float64Array) => { for (let j = 0; j < 3; j++) d[j] += shift[j]!; } },
    });
    for (let j = 0; j < 3; j++) expect(hooked.server.model[j]).toBeCloseTo(plain.server.model[j]! - 0.5 * shift[j]!, 6);
    // the next downlink carries the hooked update: a worker lands exactly on the server's model
    const down = hooked.server.broadcast(1);
    hooked.clients[0]!.step(1, down.get(0)!, oracle(0));
    expect(sameBits(hooked.clients[0]!.model, hooked.server.model)).toBe(true);
  });

  it("afterApply sees every round's new model", () => {
    const seen: number[] = [];
    oneRound("diana", {}, { server: { afterApply: (i: { round: number; model: Float64Array }) => { seen.push(i.round, i.model.length); } } });
    expect(seen).toEqual([0, 3]);
  });

  it("aggregate \"sum\" applies Σ_i of the uplinks instead of their mean", () => {
    let mean: Float64Array | undefined, sum: Float64Array | undefined;
    oneRound("qsgd", { up: "identity" }, { server: { beforeApply: (d: Float64Array) => { mean = d.slice(); } } });
    oneRound("qsgd", { up: "identity", aggregate: "sum" }, { server: { beforeApply: (d: Float64Array) => { sum = d.slice(); } } });
    for (let j = 0; j < 3; j++) expect(sum![j]).toBeCloseTo(4 * mean![j]!, 12);
  });
});

describe("participation", () => {
  const clients = Array.from({ length: 10 }, (_, i) => i);

  it("fixed-size participation draws exactly m distinct clients, weighted 1/m (mean) or N/m (sum)", () => {
    for (let k = 0; k < 50; k++) {
      const s = sampleActive({ kind: "fixed", m: 3 }, clients, 9n, k);
      expect(new Set(s).size).toBe(3);
    }
    expect(activeWeight({ kind: "fixed", m: 3 }, 10, "mean")).toBeCloseTo(1 / 3, 15);
    expect(activeWeight({ kind: "fixed", m: 3 }, 10, "sum")).toBeCloseTo(10 / 3, 15);
  });

  it("Bernoulli(p) participation activates each client with frequency p", () => {
    // 300 rounds × 10 clients, p = 0.3: the count is Binomial(3000, 0.3), mean 900, sd ≈ 25.1; 4 sd = 100
    let count = 0;
    const perClient = new Array<number>(10).fill(0);
    for (let k = 0; k < 300; k++) for (const id of sampleActive({ kind: "bernoulli", p: 0.3 }, clients, 9n, k)) { count++; perClient[id]!++; }
    expect(Math.abs(count - 900)).toBeLessThan(100);
    // per client Binomial(300, 0.3): mean 90, sd ≈ 7.9; 5 sd = 40 (10 clients)
    for (const c of perClient) expect(Math.abs(c - 90)).toBeLessThan(40);
  });

  it("the server draws the active set from its own seeded stream: same seed, same set", () => {
    const a = createAlgorithm("artemis", { gamma: 1, participation: 0.5 });
    const sets = [1, 2].map(() => { const s = a.createServer({ w0: zero, clients: 10, seed: 77 }); return [...s.broadcast(0).keys()] as ClientId[]; });
    expect(sets[0]).toEqual(sets[1]);
    expect(sets[0]).toEqual(sampleActive({ kind: "bernoulli", p: 0.5 }, clients, 77n, 0));
  });
});
