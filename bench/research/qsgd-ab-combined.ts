// A/B of two wasm builds through the public QSGD encode / decodeInto at D (argv[4], default 2^22),
// base (argv[2]) vs new (argv[3]), rounds interleaved in alternating order, CPU-time medians,
// with encode + decodeInto combined. `npx tsx bench/research/qsgd-ab-combined.ts base.wasm [new.wasm] [D]`
// (ROUNDS=n sets the rounds, default 21).
import { readFileSync } from "node:fs";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, median } from "../harness.js";
const D = Number(process.argv[4] ?? 2 ** 22), rounds = Number(process.env.ROUNDS ?? 21);
const x = RandomStream.of(1, "test").normals(D);
const A = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[2]!)) } });
const B = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[3] ?? "build/fedquant.simd.wasm")) } });
const buf = new Float32Array(D);
for (const s of [1, 4]) for (const coding of ["fixed", "elias"] as const) {
  const c = createCompressor("qsgd", { s, bucket: 512, coding });
  useKernel(A); const msg = c.encode(x, RandomStream.of(2, "compress"));
  const te: number[][] = [[], []], td: number[][] = [[], []];
  for (let r = 0; r < rounds; r++) for (const j of (r % 2 ? [1, 0] : [0, 1])) {
    useKernel(j ? B : A);
    let t0 = cpuMicros(); const m2 = c.encode(x, RandomStream.of(2, "compress")); te[j]!.push(cpuMicros() - t0);
    if (m2.length !== msg.length) throw new Error("builds disagree on the message");
    t0 = cpuMicros(); c.decodeInto(msg, buf); td[j]!.push(cpuMicros() - t0);
  }
  const g = (t: number[]) => 4 * D / median(t.slice(1)) / 1e3;
  const both = (j: number) => 4 * D / (median(te[j]!.slice(1)) + median(td[j]!.slice(1))) / 1e3;
  console.log(`s=${s} ${coding}: encode ${g(te[0]!).toFixed(3)} → ${g(te[1]!).toFixed(3)} (×${(g(te[1]!) / g(te[0]!)).toFixed(3)}); decodeInto ${g(td[0]!).toFixed(3)} → ${g(td[1]!).toFixed(3)} (×${(g(td[1]!) / g(td[0]!)).toFixed(3)}); encode+decodeInto ${both(0).toFixed(3)} → ${both(1).toFixed(3)} GB/s`);
}
