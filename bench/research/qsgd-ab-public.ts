// A/B of two wasm builds through the public QSGD encode / decodeInto (issue #9), base (argv[2]) vs
// new (argv[3], default build/), rounds interleaved in alternating order, CPU-time medians.
// `npx tsx bench/research/qsgd-ab-public.ts base.wasm [new.wasm]`.
import { readFileSync } from "node:fs";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, median } from "../harness.js";
const D = 2 ** 22, rounds = 11;
const x = RandomStream.of(1, "test").normals(D);
const A = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[2] ?? "/tmp/w1base/base.simd.wasm")) } });
const B = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[3] ?? "build/fedquant.simd.wasm")) } });
const buf = new Float32Array(D);
for (const s of [1, 4]) for (const coding of ["fixed", "elias"] as const) {
  const c = createCompressor("qsgd", { s, bucket: 512, coding });
  useKernel(A); const msg = c.encode(x, RandomStream.of(2, "compress"));
  const te: number[][] = [[], []], td: number[][] = [[], []];
  for (let r = 0; r < rounds; r++) for (const j of (r % 2 ? [1, 0] : [0, 1])) { const k = j ? B : A; {
    useKernel(k);
    let t0 = cpuMicros(); c.encode(x, RandomStream.of(2, "compress")); te[j]!.push(cpuMicros() - t0);
    t0 = cpuMicros(); c.decodeInto(msg, buf); td[j]!.push(cpuMicros() - t0); }
  }
  const g = (t: number[]) => 4 * D / median(t.slice(1)) / 1e3;
  console.log(`s=${s} ${coding}: encode base ${g(te[0]!).toFixed(3)} new ${g(te[1]!).toFixed(3)} (×${(g(te[1]!) / g(te[0]!)).toFixed(3)}); decodeInto base ${g(td[0]!).toFixed(3)} new ${g(td[1]!).toFixed(3)} (×${(g(td[1]!) / g(td[0]!)).toFixed(3)}) GB/s`);
}
