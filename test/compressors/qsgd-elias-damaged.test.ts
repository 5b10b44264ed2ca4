// The fused Elias decoder (assembly/qsgd.ts) has three readers of one level code: a 4096-entry
// table for codes of ≤ 12 bits, four per 64-bit read (taken while nearly every code is short),
// a one-read path for codes of ≤ 57 bits, and a bit-by-bit one for the rest and for every error.
// Damaged bodies must decode exactly as the plain TS Elias reader (src/kernel/twin.ts, written
// from spec/compressors.md) reads them: the same floats f32(norm_j · l_i / s), or the same
// E_DECODE reason — with the table path on (s = 4 on a Gaussian vector), off (s = 1), switched
// mid-message (long zero runs after dense buckets), and with windows of 1024 coordinates so that
// window and bucket ends fall inside the table's groups of four codes; every kernel build the
// engine runs (relaxed SIMD where it validates: Node 20 with --experimental-wasm-relaxed-simd).
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { FedquantError } from "../../src/errors.js";
import { Kernel, loadKernel, relaxedSimdSupported, useKernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { readMessage } from "../../src/wire/index.js";
import { gaussianVector } from "./contract.js";

const WINDOW = Kernel.messageWindow;
afterEach(() => { Kernel.messageWindow = WINDOW; });

/** Dense Gaussian buckets, then a stretch of exact zeros, then dense again: short codes, then runs of thousands. */
function denseGapDense(D: number): Float32Array {
  const x = gaussianVector(D, 31);
  x.fill(0, Math.floor(D / 3), Math.floor((2 * D) / 3));
  return x;
}

/** What the reference reader makes of a message: the floats, or the E_DECODE reason. */
function reference(msg: Uint8Array, D: number, b: number, s: number): Float32Array | string {
  const { header, payload } = readMessage(msg);
  const nb = Math.ceil(D / b);
  const norms = new Float32Array(payload.slice(0, 4 * nb).buffer);
  try {
    const levels = twin.qsgdEliasDecode(payload.subarray(4 * nb), header.payloadBits - 32 * nb, D, s);
    const out = new Float32Array(D);
    for (let i = 0; i < D; i++) out[i] = (norms[Math.floor(i / b)]! * levels[i]!) / s;
    return out;
  } catch (e) {
    if (e instanceof FedquantError) return e.message;
    throw e;
  }
}

function outcome(f: () => Float32Array): Float32Array | string {
  try { return f(); } catch (e) { if (e instanceof FedquantError) return e.message; throw e; }
}

const cases: [string, number, number, (D: number) => Float32Array][] = [
  ["s = 4, Gaussian (table path)", 4, 64, (D) => gaussianVector(D, 30)],
  ["s = 3, Gaussian (table path; table codes of level 4 are errors)", 3, 100, (D) => gaussianVector(D, 32)],
  ["s = 1, Gaussian (one-level path after the first window)", 1, 512, (D) => gaussianVector(D, 33)],
  ["s = 4, dense / zeros / dense (the path switches)", 4, 64, denseGapDense],
];

const builds = relaxedSimdSupported() ? (["simd", "scalar", "relaxed"] as const) : (["simd", "scalar"] as const);

describe.each(builds)("QSGD Elias decode of damaged bodies equals the TS reader (%s kernel)", (flavour) => {
  it.each(cases)("%s", async (_name, s, b, gen) => {
    useKernel(await loadKernel({ flavour }));
    const D = 20_000;
    const c = createCompressor("qsgd", { s, bucket: b, coding: "elias" });
    const msg = c.encode(gen(D), RandomStream.of(6, "compress"));
    const body = (msg.length - readMessage(msg).payload.length + 4 * Math.ceil(D / b)) * 8;
    const check = (m: Uint8Array, what: string) => {
      const want = reference(m, D, b, s);
      for (const w of [WINDOW, 1024]) {
        Kernel.messageWindow = w;
        const got = outcome(() => c.decode(m, D));
        if (typeof want === "string") expect(got, `${what}, window ${w}`).toBe(want);
        else {
          expect(typeof got, `${what}, window ${w}: ${String(got).slice(0, 80)}`).not.toBe("string");
          const g = got as Float32Array;
          let bad = -1;
          for (let i = 0; i < D && bad < 0; i++) if (!Object.is(g[i], want[i])) bad = i;
          expect(bad, `${what}, window ${w}: first differing coordinate`).toBe(-1);
        }
      }
    };
    check(msg, "intact");
    fc.assert(fc.property(fc.array(fc.integer({ min: body, max: msg.length * 8 - 1 }), { minLength: 1, maxLength: 3 }), (flips) => {
      const m = msg.slice();
      for (const f of flips) m[f >> 3]! ^= 1 << (f & 7);
      check(m, `flips ${flips.join(",")}`);
    }), { seed: 9, numRuns: 60 });
    // a run of zero bits (a code with too many leading zeros, or a truncated tail) at random places
    fc.assert(fc.property(fc.integer({ min: body >> 3, max: msg.length - 1 }), fc.integer({ min: 1, max: 8 }), (at, len) => {
      const m = msg.slice();
      m.fill(0, at, Math.min(msg.length, at + len));
      check(m, `zeros at byte ${at}, ${len} bytes`);
    }), { seed: 10, numRuns: 40 });
  });
});

// The table marks a code it lacks by a run that puts the level 2^21 − 2 past the last one, beyond
// any window it serves (≤ 2^20 coordinates); a longer window must go to the one-level reader.
describe("QSGD Elias decode with a window past 2^20 coordinates", () => {
  it("equals the decode with the default window (long codes in the first 2^21 coordinates)", async () => {
    useKernel(await loadKernel({ flavour: "simd" }));
    const D = 2 ** 21 + 300_000;
    const c = createCompressor("qsgd", { s: 4, bucket: 512, coding: "elias" });
    const msg = c.encode(gaussianVector(D, 44), RandomStream.of(7, "compress"));
    const want = c.decode(msg, D);
    Kernel.messageWindow = 2 ** 22;
    const got = c.decode(msg, D);
    let bad = -1;
    for (let i = 0; i < D && bad < 0; i++) if (!Object.is(got[i], want[i])) bad = i;
    expect(bad, "first differing coordinate").toBe(-1);
  });
});
