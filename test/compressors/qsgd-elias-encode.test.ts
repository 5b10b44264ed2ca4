// The fused Elias encoder (assembly/qsgd.ts) writes the codes of levels in [−8, 7] after runs
// < 255 from a table, 64 coordinates per bit-mask walk, with a byte-granular writer, and every
// other code (longer runs, larger levels) through the general writer. Its body must be what the
// plain TS Elias writer (src/kernel/twin.ts, from spec/compressors.md) makes of the same levels —
// read here from the fixed-width message of the same input and stream, whose packer is separate
// code — with runs from 0 to thousands (crossing 64-coordinate groups, windows of 1024
// coordinates and zero buckets), levels up to s = 255, every (run, level) the table holds, and
// subnormal buckets (levels of the 2^100-scaled values);
// and the Elias decoder must give the fixed-width decoder's floats; every kernel build the engine
// runs.
import { afterEach, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { Kernel, loadKernel, relaxedSimdSupported, useKernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { readMessage } from "../../src/wire/index.js";
import { gaussianVector } from "./contract.js";

const WINDOW = Kernel.messageWindow;
afterEach(() => { Kernel.messageWindow = WINDOW; });

/** Gaussian values in clusters of 1..40 after gaps of 0..3000 exact zeros (whole zero buckets included). */
function clustered(D: number): Float32Array {
  const g = gaussianVector(D, 41), u = RandomStream.of(42, "test").uniforms(2 * D);
  const x = new Float32Array(D);
  for (let i = 0, t = 0; i < D; t += 2) {
    const len = 1 + Math.floor(u[t]! * 40);
    for (let j = 0; j < len && i < D; j++, i++) x[i] = g[i]!;
    i += Math.floor(u[t + 1]! ** 3 * 3000);
  }
  return x;
}

/** Every run + 1 = r in 1..300 before every level l in ±1..±8 once: with the ℓ∞ norm 1 and s = 8 the
 * values l/8 round to exactly l (no fraction left), so every table entry (r < 256, l ∈ [−8, 7]) and
 * its neighbours outside the table are written. */
function everyCode(): Float32Array {
  const v: number[] = [1];
  for (let r = 1; r <= 300; r++) for (let l = -8; l <= 8; l++) if (l !== 0) { for (let z = 1; z < r; z++) v.push(0); v.push(l / 8); }
  return Float32Array.from(v);
}

/** Values near 2^-140: s / norm overflows float32, so levels take the 2^100 pre-scaling path. */
function subnormal(D: number): Float32Array {
  return gaussianVector(D, 43).map((v) => Math.fround(v * 2 ** -140));
}

const builds = relaxedSimdSupported() ? (["simd", "scalar", "relaxed"] as const) : (["simd", "scalar"] as const);

describe.each(builds)("QSGD Elias body = the TS writer's codes of the fixed-width message's levels (%s kernel)", (flavour) => {
  it.each([
    [4, 512, "gauss"], [4, 64, "clustered"], [1, 512, "clustered"], [7, 100, "gauss"], [12, 512, "gauss"], [255, 4096, "clustered"],
    [8, 0, "everyCode"], [4, 512, "subnormal"],
  ] as const)("s = %i, bucket = %i, %s input", async (s, bucket0, kind) => {
    useKernel(await loadKernel({ flavour }));
    const x = kind === "gauss" ? gaussianVector(30_011, 40) : kind === "clustered" ? clustered(30_011) : kind === "subnormal" ? subnormal(30_011) : everyCode();
    const D = x.length, bucket = bucket0 || D, nb = Math.ceil(D / bucket), norm = kind === "everyCode" ? "linf" : "l2";
    const fixed = createCompressor("qsgd", { s, bucket: bucket0, coding: "fixed", norm });
    const elias = createCompressor("qsgd", { s, bucket: bucket0, coding: "elias", norm });
    const fm = fixed.encode(x, RandomStream.of(3, "compress", 7)), f = readMessage(fm);
    const fy = fixed.decode(fm, D);
    const width = Math.ceil(Math.log2(s + 1)) + 1;
    const levels = Int32Array.from(twin.unpackFixed(f.payload.subarray(4 * nb), D, width), (v) => (v & 1 ? -(v >>> 1) : v >>> 1));
    const want = twin.qsgdEliasEncode(levels);
    for (const w of [WINDOW, 1024]) {
      Kernel.messageWindow = w;
      const em = elias.encode(x, RandomStream.of(3, "compress", 7)), e = readMessage(em);
      expect(Buffer.from(e.payload.subarray(0, 4 * nb)).equals(Buffer.from(f.payload.subarray(0, 4 * nb))), `norms, window ${w}`).toBe(true);
      expect(e.header.payloadBits, `bits, window ${w}`).toBe(32 * nb + want.bits);
      const body = e.payload.subarray(4 * nb);
      let bad = -1;
      for (let i = 0; i < want.bytes.length && bad < 0; i++) if (body[i] !== want.bytes[i]) bad = i;
      expect(bad, `first differing body byte, window ${w} (${levels.filter((l) => l !== 0).length} non-zero levels)`).toBe(-1);
      // and the Elias decoder (its table included) gives the fixed-width decoder's floats
      const ey = elias.decode(em, D);
      let badY = -1;
      for (let i = 0; i < D && badY < 0; i++) if (!Object.is(ey[i], fy[i])) badY = i;
      expect(badY, `first differing decoded coordinate, window ${w}`).toBe(-1);
    }
  });
});
