// The algorithm envelope (docs/algorithms.md "The envelope"): exact round trip, exact bit
// accounting, and untrusted bytes that never escape as anything but a FedquantError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { envelopeBits, readEnvelope, writeEnvelope, type Envelope } from "../../src/algorithms/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { FedquantError } from "../../src/errors.js";
import { RandomStream } from "../../src/random/index.js";
import { algo, drive, heterogeneousLsr, useKernel } from "./helpers.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";

useKernel();
const q = createCompressor("qsgd", { s: 1 });
const msg = (dim: number, round: number) => q.encode(RandomStream.of(1, "test", round, 0).normals(dim), RandomStream.of(1, "compress", round, 0));

function sample(): Envelope {
  return { direction: "down", algorithm: 5, client: 123456, round: 9, sections: [7, 8].map((r) => ({ round: r, slot: 0, bytes: msg(10, r) })) };
}

function expectFedquantOrValue(f: () => unknown): void {
  try { f(); } catch (e) {
    expect(e).toBeInstanceOf(FedquantError);
  }
}

describe("envelope", () => {
  it("reads back exactly what was written", () => {
    const env = sample();
    const back = readEnvelope(writeEnvelope(env));
    expect(back.direction).toBe("down");
    expect([back.algorithm, back.client, back.round]).toEqual([5, 123456, 9]);
    expect(back.sections.map((s) => [s.round, s.slot, Array.from(s.bytes)])).toEqual(env.sections.map((s) => [s.round, s.slot, Array.from(s.bytes)]));
  });

  it("counts 8 × bytes in total and the compressors' payload bits as payload", () => {
    const env = sample(), bytes = writeEnvelope(env);
    const b = envelopeBits(bytes);
    expect(b.totalBits).toBe(8 * bytes.length);
    expect(b.payloadBits).toBe(env.sections.reduce((s, x) => s + q.bits(x.bytes).payloadBits, 0));
    expect(b.payloadBits).toBe(2 * (32 + 2 * 10)); // QSGD s = 1, fixed: a norm + 2 bits per coordinate
    expect(b.headerBits + b.payloadBits).toBeLessThanOrEqual(b.totalBits);
  });

  it("a mismatch with what the receiver expects is E_PROTOCOL", () => {
    const bytes = writeEnvelope(sample());
    for (const expect_ of [{ direction: "up" as const }, { algorithm: 4 }, { client: 1 }, { round: 10 }]) {
      expect(() => readEnvelope(bytes, expect_)).toThrow(expect.objectContaining({ code: "E_PROTOCOL" }));
    }
  });

  it("truncation, bad magic, trailing bytes and bad section lengths are E_DECODE", () => {
    const bytes = writeEnvelope(sample());
    const cases = [bytes.slice(0, 13), bytes.slice(0, bytes.length - 1), Uint8Array.from([...bytes, 0]), Uint8Array.from(bytes, (b, i) => (i === 0 ? 0 : b))];
    const withLen = bytes.slice(); new DataView(withLen.buffer).setUint32(14 + 5, 1 << 30, true);
    for (const c of [...cases, withLen]) expect(() => readEnvelope(c)).toThrow(expect.objectContaining({ code: "E_DECODE" }));
  });

  it("random bytes never escape as anything but a FedquantError (fast-check)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { expectFedquantOrValue(() => readEnvelope(b)); }), { numRuns: 500, seed: 42 });
  });

  it("random mutations of a valid envelope either parse or throw a FedquantError (fast-check)", () => {
    const good = writeEnvelope(sample());
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(good.length),
      (edits, cut) => {
        const b = good.slice(0, Math.max(cut, 1));
        for (const [i, v] of edits) if (i < b.length) b[i] = v;
        expectFedquantOrValue(() => { const env = readEnvelope(b); for (const s of env.sections) q.decode(s.bytes, 10); });
      },
    ), { numRuns: 500, seed: 43 });
  });

  it("a client fed a corrupted downlink throws a FedquantError and keeps its state (fast-check)", () => {
    const P = heterogeneousLsr(2, 10, 3);
    const a = algo("artemis", { gamma: 0.1 });
    const t = drive(a, P.workers, P.objective, 3, 4);
    const oracle = minibatchOracle(P.objective, P.workers[0]!, 4n, "full");
    const before = JSON.stringify(t.clients[0]!.toJSON());
    const good = t.server.broadcast(3).get(0)!;
    fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (i, v) => {
      fc.pre(good[i] !== v);
      const b = good.slice(); b[i] = v;
      const client = a.restoreClient(JSON.parse(before));
      try { client.step(3, b, oracle); } catch (e) {
        expect(e).toBeInstanceOf(FedquantError);
        expect(JSON.stringify(client.toJSON())).toBe(before);
      }
      // else the flip hit a float inside the payload and still decoded: a valid (different) message
    }), { numRuns: 300, seed: 44 });
  });
});
