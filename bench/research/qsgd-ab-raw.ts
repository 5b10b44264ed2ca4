// A/B of two wasm builds in one process (issue #9): the raw fused QSGD encode on a window already in
// linear memory, base (argv[2], e.g. an older build) vs new (argv[3], default build/), CPU-time
// medians of interleaved rounds. `npx tsx bench/research/qsgd-ab-raw.ts base.wasm [new.wasm]`.
import { readFileSync } from "node:fs";
import { Kernel, loadKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, median } from "../harness.js";
const D = 2 ** 22, b = 512, rounds = 15;
const x = RandomStream.of(1, "test").normals(Kernel.messageWindow);
const A = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[2] ?? "/tmp/w1base/base.simd.wasm")) } });
const B = await loadKernel({ flavour: "simd", source: { simd: new Uint8Array(readFileSync(process.argv[3] ?? "build/fedquant.simd.wasm")) } });
const W = Kernel.messageWindow;
const setup = (k: Kernel) => { const px = k.allocRaw(W * 4), dst = k.allocRaw(W * 4 + 4096); k.f32(px, W).set(x); return { raw: k.raw as unknown as Record<string, (...a: number[]) => number>, px, dst }; };
const a = setup(A), bb = setup(B);
const run = (z: ReturnType<typeof setup>, s: number, linf: number, el: number) => { const t0 = cpuMicros(); for (let i = 0; i < D; i += W) { z.raw.qsgdEncodeBegin!(z.px, W, b, s, linf, el, s === 1 ? 2 : 4, z.dst, 1, 2, i >>> 2, 0, 3, 4); z.raw.qsgdEncodeWindow!(z.px, W / b); while (z.raw.qsgdEncodeStep!(W) === 1); z.raw.qsgdEncodeEnd!(); } return cpuMicros() - t0; };
for (const linf of [0, 1]) for (const s of [1, 4]) for (const el of [0, 1]) {
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < rounds; r++) { ta.push(run(a, s, linf, el)); tb.push(run(bb, s, linf, el)); }
  const ga = 4 * D / median(ta.slice(2)) / 1e3, gb = 4 * D / median(tb.slice(2)) / 1e3;
  console.log(`linf${linf} s${s} elias${el}: base ${ga.toFixed(3)} GB/s, new ${gb.toFixed(3)} GB/s, new/base ${(gb / ga).toFixed(3)}`);
}
