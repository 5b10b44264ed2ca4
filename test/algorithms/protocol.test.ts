// The round protocol's guards (docs/algorithms.md "The round protocol"): out-of-order calls,
// missing or extra uplinks, messages replayed from another round or sent for another client
// are E_PROTOCOL / E_DECODE errors, and a server that refuses an uplink set keeps its state.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { readEnvelope, writeEnvelope } from "../../src/algorithms/index.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { algo, drive, heterogeneousLsr, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(3, 10, 3);
const oracle = (i: number) => minibatchOracle(P.objective, P.workers[i]!, 5n, "full");
const code = (c: string) => expect.objectContaining({ code: c });

function setUp(name = "artemis") {
  const a = algo(name, { gamma: 0.1 });
  const w0 = new Float64Array(3);
  return { a, server: a.createServer({ w0, clients: 3, seed: 5 }), clients: [0, 1, 2].map((id) => a.createClient({ id, w0, seed: 5 })) };
}

function round(s: ReturnType<typeof setUp>, k: number) {
  const down = s.server.broadcast(k);
  return new Map([...down].map(([id, b]) => [id, s.clients[id]!.step(k, b, oracle(id))]));
}

describe("round protocol", () => {
  it("broadcast must follow the server's round, and not twice", () => {
    const s = setUp();
    expect(() => s.server.broadcast(1)).toThrow(code("E_PROTOCOL"));
    s.server.broadcast(0);
    expect(() => s.server.broadcast(0)).toThrow(/round 0 is in progress: call receive\(0\)/);
  });

  it("receive needs a broadcast first, for the same round", () => {
    const s = setUp();
    expect(() => s.server.receive(0, new Map())).toThrow(/receive\(0\) without broadcast/);
    const up = round(s, 0);
    expect(() => s.server.receive(1, up)).toThrow(code("E_PROTOCOL"));
  });

  it("a missing or unexpected uplink is named, and the server stays in the round", () => {
    const s = setUp();
    const up = round(s, 0);
    const partial = new Map([...up].filter(([id]) => id !== 2));
    expect(() => s.server.receive(0, partial)).toThrow(/missing 2/);
    expect(() => s.server.receive(0, new Map([...up, [7, up.get(0)!]]))).toThrow(/not active: 7/);
    expect(s.server.pending).toEqual([0, 1, 2]);
    s.server.receive(0, up);
    expect(s.server.round).toBe(1);
  });

  it("an uplink sent under another client's id is rejected, and the server keeps its model", () => {
    const s = setUp();
    const up = round(s, 0);
    const before = s.server.model.slice();
    const swapped = new Map([[0, up.get(1)!], [1, up.get(0)!], [2, up.get(2)!]]);
    expect(() => s.server.receive(0, swapped)).toThrow(/envelope is for client 1, expected 0/);
    expect(Array.from(s.server.model)).toEqual(Array.from(before));
  });

  it("an uplink replayed from an earlier round does not decode, even re-labelled", () => {
    const s = setUp();
    const up0 = round(s, 0);
    s.server.receive(0, up0);
    const up1 = round(s, 1);
    const env = readEnvelope(up0.get(0)!);
    const relabelled = writeEnvelope({ ...env, round: 1, sections: [{ ...env.sections[0]!, round: 1 }] });
    // the compressor message still says it was drawn from round 0's stream
    expect(() => s.server.receive(1, new Map([...up1, [0, relabelled]]))).toThrow(/randomness .* is not the one the receiver expects/);
  });

  it("corrupted uplink bytes are a FedquantError and leave the server in its round, model unchanged (fast-check)", () => {
    const s = setUp();
    const up = round(s, 0);
    const checkpoint = s.server.toJSON(), good = up.get(1)!;
    fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length), (i, v, cut) => {
      const server = s.a.restoreServer(checkpoint);
      const b = good.slice(0, Math.max(cut, 1)); if (i < b.length) b[i] = v;
      try { server.receive(0, new Map([...up, [1, b]])); } catch (e) {
        expect(e).toBeInstanceOf(FedquantError);
        expect(JSON.stringify(server.toJSON())).toBe(JSON.stringify(checkpoint));
      }
      // else: the edit hit payload bits that still decode — a different but valid message
    }), { numRuns: 300, seed: 45 });
  });

  it("a client cannot step back, nor take another client's downlink", () => {
    const s = setUp();
    const down = s.server.broadcast(0);
    s.clients[0]!.step(0, down.get(0)!, oracle(0));
    expect(() => s.clients[0]!.step(0, down.get(0)!, oracle(0))).toThrow(/already took part in round 0/);
    expect(() => s.clients[1]!.step(0, down.get(0)!, oracle(1))).toThrow(/envelope is for client 0, expected 1/);
  });

  it("a client that missed rounds refuses a downlink without the updates it lacks", () => {
    const s = setUp();
    s.server.receive(0, round(s, 0));
    const down = s.server.broadcast(1);
    const fresh = s.a.createClient({ id: 0, w0: new Float64Array(3), seed: 5 }); // has applied nothing
    const env = readEnvelope(down.get(0)!);
    expect(() => fresh.step(1, writeEnvelope({ ...env, sections: [] }), oracle(0))).toThrow(/must carry 1 update\(s\), it carries 0/);
  });

  it("a downlink of another algorithm is refused", () => {
    const s = setUp("artemis"), t = setUp("biqsgd");
    const down = t.server.broadcast(0);
    expect(() => s.clients[0]!.step(0, down.get(0)!, oracle(0))).toThrow(/algorithm id 4, expected 5/);
  });

  it("a client with a non-finite gradient throws E_INPUT", () => {
    const s = setUp();
    const down = s.server.broadcast(0);
    expect(() => s.clients[0]!.step(0, down.get(0)!, (_w, out) => { out.fill(NaN); })).toThrow(code("E_INPUT"));
  });

  it("drive() sanity: three rounds complete for every built-in algorithm", () => {
    for (const name of ["sgd", "qsgd", "diana", "biqsgd", "artemis", "artemis-nd", "mcm", "rand-mcm", "dore", "artemis-ef", "double-squeeze", "ef-sgd"]) {
      expect(drive(algo(name, { gamma: 0.1 }), P.workers, P.objective, 3, 1).server.round).toBe(3);
    }
  });
});
