// The fused QSGD Elias decoder (assembly/qsgd.ts qsgdDecodeEliasStep) reads a whole level code
// from one 64-bit word when it fits (≤ 57 bits) and otherwise steps bit field by bit field. Here
// messages with zero runs from 0 to beyond 2^16 and levels up to s = 1000 (so codes on both sides
// of the 57-bit limit) must decode to exactly x̂_i = f32(norm_j · l_i / s), with the levels l read
// by the plain TS Elias reader (src/kernel/twin.ts) from the payload, in both kernel builds.
import { describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { readMessage } from "../../src/wire/index.js";

/** Sparse x: non-zeros after gaps of 0 .. 2^k − 1 zeros, k cycling through 0..17. */
function sparse(D: number): Float32Array {
  const x = new Float32Array(D), u = RandomStream.of(11, "test").uniforms(D);
  for (let i = 0, k = 0, t = 0; i < D; k = (k + 1) % 18, t++) {
    x[i] = (u[t]! < 0.5 ? -1 : 1) * (0.5 + 4 * u[(t * 7 + 3) % D]!);
    i += 1 + Math.floor(u[(t * 13 + 5) % D]! * 2 ** k);
  }
  return x;
}

/** 3 non-zeros of equal size after runs of about 2^21 zeros: levels ≈ 1000/√3 ≥ 2^9 at s = 1000,
 * so each code is 2·21 + 2 + 2·9 + 1 = 63 bits, past what one 64-bit read at an odd bit holds. */
function longRuns(D: number): Float32Array {
  const x = new Float32Array(D);
  x[2 ** 21 + 5] = 1; x[2 ** 22 + 900] = -1; x[3 * 2 ** 21 + 77] = 1;
  return x;
}

describe.each(["simd", "scalar"] as const)("QSGD Elias decode, short and long codes (%s kernel)", (flavour) => {
  it.each([[1, 4096, 600_000], [4, 512, 600_000], [1000, 0, 600_000], [1000, 0, 2 ** 23]])("s = %i, bucket = %i, D = %i: every value is f32(norm · l / s) of the TS reader's levels", async (s, bucket, D) => {
    useKernel(await loadKernel({ flavour }));
    const c = createCompressor("qsgd", { s, bucket, coding: "elias" });
    const msg = c.encode(D > 2 ** 20 ? longRuns(D) : sparse(D), RandomStream.of(5, "compress"));
    const { header, payload } = readMessage(msg);
    const b = bucket === 0 ? D : bucket, nb = Math.ceil(D / b);
    const norms = new Float32Array(payload.slice(0, 4 * nb).buffer);
    const levels = twin.qsgdEliasDecode(payload.subarray(4 * nb), header.payloadBits - 32 * nb, D, s);
    const want = new Float32Array(D);
    for (let i = 0; i < D; i++) want[i] = (norms[Math.floor(i / b)]! * levels[i]!) / s;
    const got = c.decode(msg, D);
    let bad = -1;
    for (let i = 0; i < D && bad < 0; i++) if (got[i] !== want[i]) bad = i;
    expect(bad, `first differing coordinate (of ${levels.filter((l) => l !== 0).length} non-zero levels)`).toBe(-1);
  });
});
