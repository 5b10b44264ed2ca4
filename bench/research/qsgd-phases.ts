// Where a QSGD encode / decode spends its CPU time (issue #9 item 1): the public encode and
// decodeInto beside their parts measured alone in the same process — the window copy into linear
// memory, the raw encode kernel on a window already in memory, the raw rounding kernel (K3) —, in
// CPU time, medians. `npx tsx bench/research/qsgd-phases.ts [log2 D]`.
import { createCompressor } from "../../src/compressors/index.js";
import { Kernel, loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, median } from "../harness.js";

const D = 2 ** Number(process.argv[2] ?? 23), b = 512, reps = 7;
const x = RandomStream.of(1, "test").normals(D);
const k = await loadKernel({ flavour: "simd" });
useKernel(k);
const gbs = (f: () => void) => {
  const t: number[] = [];
  for (let r = 0; r < reps; r++) { const t0 = cpuMicros(); f(); t.push(cpuMicros() - t0); }
  return +((4 * D) / (median(t.slice(1)) / 1e6) / 1e9).toFixed(3);
};
const raw = k.raw as unknown as Record<string, (...a: number[]) => number>;
const W = Kernel.messageWindow;
const px = k.allocRaw(W * 4), dst = k.allocRaw(W * 2 + 4096), lv = k.allocRaw(W * 4);
const out: Record<string, unknown> = { D, window: W };
out.copyWindows = gbs(() => { for (let i = 0; i < D; i += W) k.f32(px, W).set(x.subarray(i, i + W)); });
k.f32(px, W).set(x.subarray(0, W));
out.k3RoundOneWindow = gbs(() => { for (let i = 0; i < D; i += W) raw.qsgdRound!(px, W, 0.17, 4, lv, 1, 2, i >>> 2, 0, 3, 4); });
for (const s of [1, 4]) for (const coding of ["fixed", "elias"] as const) {
  const width = s === 1 ? 2 : 4;
  out[`s${s} ${coding} rawEncodeOneWindow`] = gbs(() => {
    for (let i = 0; i < D; i += W) {
      raw.qsgdEncodeBegin!(px, W, b, s, 0, coding === "elias" ? 1 : 0, width, dst, 1, 2, 0, 0, 3, 4);
      raw.qsgdEncodeWindow!(px, W / b);
      while (raw.qsgdEncodeStep!(W) === 1);
      raw.qsgdEncodeEnd!();
    }
  });
  const c = createCompressor("qsgd", { s, bucket: b, coding });
  let msg: Uint8Array = new Uint8Array(0);
  const buf = new Float32Array(D);
  out[`s${s} ${coding} encode`] = gbs(() => { msg = c.encode(x, RandomStream.of(2, "compress")); });
  out[`s${s} ${coding} decodeInto`] = gbs(() => { c.decodeInto(msg, buf); });
}
console.log(JSON.stringify(out, null, 1));
