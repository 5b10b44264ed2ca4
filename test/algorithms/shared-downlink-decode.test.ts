// The clients of one thread decode a round's shared downlink message once (shared.ts: the last
// decode is reused when decoder, dimension, stream and every byte are the same). The reference
// is the same clients with that reuse defeated — another algorithm's client stepped between
// any two of them, so each decodes afresh — and, for a tampered message, the update by hand.
import { describe, expect, it } from "vitest";
import { createAlgorithm, readEnvelope, type Algorithm, type AlgorithmClient, type ClientId } from "../../src/algorithms/index.js";
import { sameBytes } from "../../src/algorithms/vec.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { heterogeneousLsr, sameBits } from "./helpers.js";

const P = heterogeneousLsr(6, 12, 5);

/** Another run whose client, stepped, decodes a downlink of its own (different decoder and dimension). */
function buster(): () => void {
  const a = createAlgorithm("qsgd", { gamma: 0.1 }), w0 = new Float64Array(3), q = heterogeneousLsr(1, 4, 3);
  const server = a.createServer({ w0, clients: 1, seed: 99 }), client = a.createClient({ id: 0, w0, seed: 99 });
  const oracle = minibatchOracle(q.objective, q.workers[0]!, 99n, "full");
  return () => {
    const k = server.round;
    server.receive(k, new Map([[0, client.step(k, server.broadcast(k).get(0)!, oracle)]]));
  };
}

/** Every client's inspect() vectors and every uplink, after `rounds` rounds; `between` runs before each client step. */
function run(algo: Algorithm, rounds: number, between?: () => void): { states: Float64Array[][]; up: Uint8Array[] } {
  const w0 = new Float64Array(P.objective.dim);
  const server = algo.createServer({ w0, clients: P.workers.length, seed: 3 });
  const clients: AlgorithmClient[] = P.workers.map((_, i) => algo.createClient({ id: i, w0, seed: 3 }));
  const oracles = P.workers.map((d) => minibatchOracle(P.objective, d, 3n, 4));
  const states: Float64Array[][] = [], ups: Uint8Array[] = [];
  for (let k = 0; k < rounds; k++) {
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of server.broadcast(k)) {
      between?.();
      up.set(id, clients[id]!.step(k, bytes, oracles[id]!));
      ups.push(up.get(id)!);
      states.push(Object.values(clients[id]!.inspect()).map((v) => v.slice()));
    }
    server.receive(k, up);
  }
  return { states, up: ups };
}

describe("a round's shared downlink is decoded once per thread, with the bits of a decode per client", () => {
  // partial participation: returning clients get catch-up sections of several rounds
  it.each(["qsgd", "diana", "biqsgd", "artemis", "artemis-nd", "mcm", "dore", "double-squeeze", "ef-sgd"])("%s: every client state and uplink as with a fresh decode per client", (name) => {
    const algo = createAlgorithm(name, { gamma: 0.2 / P.L, participation: 0.6 });
    const reused = run(algo, 8), fresh = run(algo, 8, buster());
    expect(reused.states.length).toBe(fresh.states.length);
    expect(reused.states.length).toBeGreaterThan(8);
    reused.states.forEach((vs, j) => vs.forEach((v, i) => expect(sameBits(v, fresh.states[j]![i]!)).toBe(true)));
    reused.up.forEach((b, j) => expect(Buffer.from(b).equals(Buffer.from(fresh.up[j]!))).toBe(true));
  });

  it("a message that differs in one byte from the last one decoded is decoded, not reused", () => {
    const algo = createAlgorithm("qsgd", { gamma: 0.5 }); // identity downlink: the update travels as float32
    const w0 = new Float64Array(P.objective.dim);
    const server = algo.createServer({ w0, clients: 2, seed: 6 });
    const clients = [0, 1].map((id) => algo.createClient({ id, w0, seed: 6 }));
    const oracles = [0, 1].map((i) => minibatchOracle(P.objective, P.workers[i]!, 6n, "full"));
    const up0 = new Map<ClientId, Uint8Array>();
    for (const [id, b] of server.broadcast(0)) up0.set(id, clients[id]!.step(0, b, oracles[id]!));
    server.receive(0, up0);
    const down = server.broadcast(1);
    clients[0]!.step(1, down.get(0)!, oracles[0]!); // decodes round 0's update: now the last one
    // client 1's copy with the first float of the update changed (still finite)
    const env = down.get(1)!.slice(), section = readEnvelope(env).sections[0]!.bytes;
    const payloadAt = section.length - 4 * w0.length;
    const first = new DataView(section.buffer, section.byteOffset + payloadAt, 4);
    first.setFloat32(0, first.getFloat32(0, true) + 1, true);
    const x = new Float32Array(section.slice(payloadAt).buffer);
    const before = clients[1]!.model.slice();
    clients[1]!.step(1, env, oracles[1]!);
    // w ← w − γ·x (axpy with a = −γ), x the tampered message's floats
    const want = before.slice();
    for (let t = 0; t < want.length; t++) want[t] += -0.5 * x[t]!;
    expect(sameBits(clients[1]!.model, want)).toBe(true);
    expect(sameBits(clients[1]!.model, clients[0]!.model)).toBe(false);
  });
});

describe("sameBytes", () => {
  it("finds a differing byte anywhere, at any offsets of the two arrays, and equal arrays equal", () => {
    const base = Uint8Array.from({ length: 41 }, (_, i) => (i * 37 + 11) & 255);
    for (const oa of [0, 1, 2, 3]) for (const ob of [0, 1, 2, 3]) {
      const a = new Uint8Array(new ArrayBuffer(oa + 41), oa, 41), b = new Uint8Array(new ArrayBuffer(ob + 41), ob, 41);
      a.set(base); b.set(base);
      expect(sameBytes(a, b)).toBe(true);
      for (const at of [0, 1, 2, 5, 20, 38, 39, 40]) {
        b[at] ^= 1;
        expect(sameBytes(a, b)).toBe(false);
        b[at] ^= 1;
      }
      expect(sameBytes(a, b.subarray(0, 40))).toBe(false);
    }
  });
});
