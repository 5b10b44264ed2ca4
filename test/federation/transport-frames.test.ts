// Protocol frames: every type round-trips, and untrusted bytes never get past decodeFrame as
// anything but a valid frame or an E_PROTOCOL error.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { decodeFrame, encodeFrame, MAX_TOKEN_BYTES, NO_ROUND, type Frame } from "../../src/federation/transport/frames.js";

const payload = Uint8Array.of(1, 2, 3, 250);
const samples: Frame[] = [
  { type: "hello", round: 0, token: "tøken-7" },
  { type: "welcome", round: 4, client: 3, accepted: NO_ROUND, session: { algorithm: "artemis", dim: 2 } },
  { type: "round", round: 9, deadlineMs: 1500, accepted: 8, attempt: 12, payload },
  { type: "uplink", round: 9, attempt: 12, payload },
  { type: "catchUp", round: 2, accepted: 1, payload },
  { type: "done", round: 19, accepted: 19, summary: { loss: 0.25 } },
  { type: "bye", round: 3, reason: "wrong token" },
];

function protocolError(f: () => unknown): FedquantError {
  try { f(); } catch (e) {
    expect(e).toBeInstanceOf(FedquantError);
    expect((e as FedquantError).code).toBe("E_PROTOCOL");
    return e as FedquantError;
  }
  throw new Error("expected an E_PROTOCOL error");
}

describe("protocol frames", () => {
  it.each(samples.map((f) => [f.type, f] as const))("round-trips a %s frame", (_t, f) => {
    expect(decodeFrame(encodeFrame(f))).toEqual(f);
  });

  it("rejects a wrong magic, an unknown version and an unknown type", () => {
    const ok = encodeFrame(samples[3]!);
    for (const [at, value, what] of [[0, 0x00, /magic/], [2, 9, /version 9/], [3, 99, /unknown frame type 99/]] as const) {
      const b = ok.slice();
      b[at] = value;
      expect(protocolError(() => decodeFrame(b)).message).toMatch(what);
    }
  });

  it("rejects a hello whose token length disagrees with the frame", () => {
    const b = encodeFrame(samples[0]!);
    expect(protocolError(() => decodeFrame(b.subarray(0, b.length - 1))).message).toMatch(/token length/);
  });

  it("rejects a hello token longer than the maximum when encoding and when decoding", () => {
    expect(() => encodeFrame({ type: "hello", round: 0, token: "x".repeat(MAX_TOKEN_BYTES + 1) })).toThrow(/at most 256/);
    const b = new Uint8Array(10 + 300);
    b.set([0x46, 0x4e, 1, 1]);
    new DataView(b.buffer).setUint16(8, 300, true);
    expect(protocolError(() => decodeFrame(b)).message).toMatch(/exceeds/);
  });

  it("rejects session JSON that does not parse and text that is not UTF-8", () => {
    const w = encodeFrame(samples[1]!);
    const bad = w.slice(); bad[16] = 0x7b; bad[bad.length - 1] = 0x2c; // "{…," is not JSON
    expect(protocolError(() => decodeFrame(bad)).message).toMatch(/JSON/);
    const bye = encodeFrame({ type: "bye", round: 0, reason: "ab" });
    bye[bye.length - 1] = 0xff;
    expect(protocolError(() => decodeFrame(bye)).message).toMatch(/UTF-8/);
  });

  it("turns any byte string into a frame or an E_PROTOCOL error, never anything else", () => {
    const prefix = fc.constantFrom(new Uint8Array(0), Uint8Array.of(0x46, 0x4e, 1));
    fc.assert(fc.property(prefix, fc.uint8Array({ maxLength: 64 }), (p, rest) => {
      const b = new Uint8Array(p.length + rest.length);
      b.set(p); b.set(rest, p.length);
      try { decodeFrame(b); } catch (e) {
        return e instanceof FedquantError && e.code === "E_PROTOCOL";
      }
      return true;
    }), { numRuns: 2000, seed: 17 });
  });

  it("decodes every truncation of a valid frame to a frame or an E_PROTOCOL error", () => {
    for (const f of samples) {
      const b = encodeFrame(f);
      for (let n = 0; n < b.length; n++) {
        try { decodeFrame(b.subarray(0, n)); } catch (e) { expect((e as FedquantError).code).toBe("E_PROTOCOL"); }
      }
    }
  });
});
