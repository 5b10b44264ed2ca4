// The server's receive() with uplink vectors decoded elsewhere (ReceiveOptions.decoded, issue #13:
// pool workers decode their clients' uplinks so the calling thread only aggregates). The
// reference is receive() decoding the same bytes itself: the same model, memories and downlink
// bytes bit for bit, for every registered algorithm; and sumInto against the plain loop.
import { describe, expect, it } from "vitest";
import { algorithmNames, attachDecoded, createAlgorithm, decodeUplinkVector, type AlgorithmConfig, type ClientId } from "../../src/algorithms/index.js";
import { sumInto } from "../../src/algorithms/vec.js";
import { FedquantError } from "../../src/errors.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { heterogeneousLsr, sameBits } from "./helpers.js";

const P = heterogeneousLsr(6, 12, 5);

type Feed = "self" | "options" | "attached" | "some";

/**
 * Two servers driven by the same clients' uplinks: one decodes them itself, the other receives
 * them pre-decoded (through `feed`). Returns both servers' states and downlinks after `rounds`.
 */
function twin(name: string, config: Partial<AlgorithmConfig>, feed: Feed, rounds = 7) {
  const a = createAlgorithm(name, { gamma: 0.2 / P.L, participation: 0.7, ...config });
  const w0 = new Float64Array(P.objective.dim), seed = 5;
  const ref = a.createServer({ w0, clients: P.workers.length, seed });
  const pre = a.createServer({ w0, clients: P.workers.length, seed });
  const clients = P.workers.map((_, i) => a.createClient({ id: i, w0, seed }));
  const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 5n, 4));
  for (let k = 0; k < rounds; k++) {
    const down = ref.broadcast(k), down2 = pre.broadcast(k);
    for (const [id, bytes] of down) expect(Buffer.from(down2.get(id)!).equals(Buffer.from(bytes))).toBe(true);
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of down) up.set(id, clients[id]!.step(k, bytes, oracles[id]!));
    const decoded = new Map<ClientId, Float32Array>();
    for (const [id, bytes] of up) if (feed !== "some" || id % 2 === 0) decoded.set(id, decodeUplinkVector(a.up, w0.length, 5n, k, id, bytes));
    ref.receive(k, up);
    if (feed === "options" || feed === "some") pre.receive(k, up, { decoded });
    else if (feed === "attached") pre.receive(k, attachDecoded(new Map(up), decoded));
    else pre.receive(k, up);
    expect(sameBits(pre.model, ref.model)).toBe(true);
    const ri = ref.inspect(), pi = pre.inspect();
    expect(Object.keys(pi)).toEqual(Object.keys(ri));
    for (const key of Object.keys(ri)) expect(sameBits(pi[key]!, ri[key]!)).toBe(true);
  }
  expect(JSON.stringify(pre.toJSON())).toBe(JSON.stringify(ref.toJSON()));
}

describe("receive with pre-decoded uplinks: the server's own decode, bit for bit", () => {
  it.each(algorithmNames())("%s: model, memories, downlinks and checkpoint as when the server decodes", (name) => {
    for (const feed of ["options", "attached", "some"] as const) twin(name, {}, feed);
  });

  it("memoryInit first-gradient (an extra uplink section, decoded by the server) with pre-decoded vectors", () => {
    for (const name of ["artemis", "diana", "mcm"]) twin(name, { memoryInit: "first-gradient" }, "options");
  });

  it("a decoded vector of the wrong length is refused with E_DIM and the round stays open", () => {
    const a = createAlgorithm("qsgd", { gamma: 0.1 });
    const w0 = new Float64Array(P.objective.dim);
    const server = a.createServer({ w0, clients: 2, seed: 1 });
    const clients = [0, 1].map((id) => a.createClient({ id, w0, seed: 1 }));
    const oracle = minibatchOracle(P.objective, P.workers[0]!, 1n, "full");
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of server.broadcast(0)) up.set(id, clients[id]!.step(0, bytes, oracle));
    const before = server.model.slice();
    let err: unknown;
    try { server.receive(0, up, { decoded: new Map([[1, new Float32Array(w0.length + 1)]]) }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FedquantError);
    expect((err as FedquantError).code).toBe("E_DIM");
    expect(server.round).toBe(0);
    expect(sameBits(server.model, before)).toBe(true);
    expect(() => server.receive(0, up, { decoded: [[1, new Float32Array(w0.length)]] as never })).toThrow(expect.objectContaining({ code: "E_PROTOCOL" }));
    server.receive(0, up); // the round can still be closed
    expect(server.round).toBe(1);
  });

  it("the server uses the vectors it is given (it does not decode those uplinks again)", () => {
    const a = createAlgorithm("qsgd", { gamma: 0.1 });
    const w0 = new Float64Array(P.objective.dim);
    const [s1, s2] = [0, 1].map(() => a.createServer({ w0, clients: 1, seed: 1 }));
    const client = a.createClient({ id: 0, w0, seed: 1 });
    s2!.broadcast(0);
    const up = new Map([[0, client.step(0, s1!.broadcast(0).get(0)!, minibatchOracle(P.objective, P.workers[0]!, 1n, "full"))]]);
    const x = decodeUplinkVector(a.up, w0.length, 1n, 0, 0, up.get(0)!);
    s1!.receive(0, up, { decoded: new Map([[0, x]]) });
    const doubled = x.map((v) => 2 * v);
    s2!.receive(0, up, { decoded: new Map([[0, doubled]]) });
    // w_1 = w_0 − γ·x: with 2x given, the step is exactly twice as long
    for (let t = 0; t < w0.length; t++) expect(s2!.model[t]).toBe(2 * s1!.model[t]!);
    expect(x.some((v) => v !== 0)).toBe(true);
  });

  it("a client that decoded its own uplink (memories) hands over exactly the server's decode of it, once", () => {
    for (const [name, decodes] of [["diana", true], ["artemis", true], ["qsgd", false], ["sgd", false]] as const) {
      const a = createAlgorithm(name, { gamma: 0.1 });
      const w0 = new Float64Array(P.objective.dim);
      const server = a.createServer({ w0, clients: 2, seed: 4 });
      const clients = [0, 1].map((id) => a.createClient({ id, w0, seed: 4 }));
      const oracle = minibatchOracle(P.objective, P.workers[0]!, 4n, "full");
      const down = server.broadcast(0);
      const b0 = clients[0]!.step(0, down.get(0)!, oracle);
      const take = (c: unknown, k: number) => (c as { takeDecodedUplink(k: number): Float32Array | undefined }).takeDecodedUplink(k);
      expect(take(clients[1], 0)).toBeUndefined(); // not the client that just stepped
      expect(take(clients[0], 1)).toBeUndefined(); // not that round
      const got = take(clients[0], 0);
      if (!decodes) { expect(got).toBeUndefined(); continue; }
      const want = decodeUplinkVector(a.up, w0.length, 4n, 0, 0, b0);
      expect(Buffer.from(got!.buffer, got!.byteOffset, got!.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
      expect(take(clients[0], 0)).toBeUndefined(); // handed over once
    }
  });

  it("decodeUplinkVector refuses an uplink of another round or client (E_PROTOCOL)", () => {
    const a = createAlgorithm("qsgd", { gamma: 0.1 });
    const w0 = new Float64Array(P.objective.dim);
    const server = a.createServer({ w0, clients: 1, seed: 1 });
    const client = a.createClient({ id: 0, w0, seed: 1 });
    const bytes = client.step(0, server.broadcast(0).get(0)!, minibatchOracle(P.objective, P.workers[0]!, 1n, "full"));
    expect(() => decodeUplinkVector(a.up, w0.length, 1n, 1, 0, bytes)).toThrow(/round/);
    expect(() => decodeUplinkVector(a.up, w0.length, 1n, 0, 3, bytes)).toThrow(/client/);
  });
});

describe("sumInto: the plain loop's additions in the plain loop's order", () => {
  // magnitudes from 2^-30 to 2^30 with both signs: f64 sums of these depend on the order
  function vectors(count: number, n: number): Float32Array[] {
    return Array.from({ length: count }, (_, j) => Float32Array.from({ length: n }, (_, t) => Math.sin(7 * j + 3 * t + 1) * 2 ** (((j * 11 + t * 5) % 61) - 30)));
  }
  function plain(acc: Float64Array, xs: Float32Array[]): void { for (const x of xs) for (let t = 0; t < acc.length; t++) acc[t] += x[t]!; }

  it.each([0, 1, 3, 4, 5, 8, 9, 13])("%i vectors: the same bits as acc += x for each x in turn", (count) => {
    const xs = vectors(count, 37), start = Float64Array.from({ length: 37 }, (_, t) => (t - 18) * 1e-3);
    const want = start.slice(), got = start.slice();
    plain(want, xs);
    sumInto(got, xs);
    expect(sameBits(got, want)).toBe(true);
  });

  it("the test data is order-sensitive: summing in reverse order changes some bits", () => {
    const xs = vectors(9, 37);
    const fwd = new Float64Array(37), rev = new Float64Array(37);
    plain(fwd, xs);
    plain(rev, [...xs].reverse());
    expect(sameBits(fwd, rev)).toBe(false);
  });
});
