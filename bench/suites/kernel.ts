// Kernel benches (K2 Gaussian fill, K3 QSGD stochastic rounding): the plain-JS code a user would
// write (Math.random, the baseline of every ratio), the bit-exact TS twin, the raw wasm exports
// on buffers already in linear memory (scalar and SIMD builds), the typed wrapper a user calls
// (copies in and out), and — in the same session — numpy and the C AVX2 Philox reference.
import { loadKernel, type Kernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { externalRow, measureGroup, type BenchOptions, type Row, type Suite } from "../harness.js";
import { cRef, numpyRef } from "../refs.js";

function rawFill(k: Kernel, n: number): () => void {
  const out = k.alloc(n * 4);
  let ctr = 0;
  return () => { k.raw.fillNormal(out, n, 1, 2, ctr, 0, 3, 4); ctr += n / 4; };
}

function rawRound(k: Kernel, x: Float32Array): () => void {
  const px = k.putF32(x);
  const po = k.alloc(x.length * 4);
  let ctr = 0;
  return () => { k.raw.qsgdRound(px, x.length, 0.25, 4, po, 1, 2, ctr, 0, 3, 4); ctr += x.length / 4; };
}

/** Box–Muller on Math.random, two normals per pair: what a user writes without a library. */
function plainNormals(out: Float32Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - Math.random())), t = 2 * Math.PI * Math.random();
    out[i] = r * Math.cos(t);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
  }
}

/** QSGD rounding on Math.random into int8 levels. */
function plainRound(x: Float32Array, scale: number, s: number, out: Int8Array): void {
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!) * scale, l = Math.floor(a);
    const xi = Math.min(s, l + (Math.random() < a - l ? 1 : 0));
    out[i] = x[i]! < 0 ? -xi : xi;
  }
}

export const kernelSuite: Suite = {
  name: "kernel",
  async run(opts: BenchOptions): Promise<Row[]> {
    const simd = await loadKernel({ flavour: "simd" });
    const scalar = await loadKernel({ flavour: "scalar" });
    const n = opts.quick ? 1 << 14 : 1 << 22;
    const rows: Row[] = [];
    const np = numpyRef(opts.quick), c = cRef(opts.quick);

    const out = new Float32Array(n);
    const rngT = RandomStream.of(1, "test"), rngW = RandomStream.of(1, "test");
    const fill = await measureGroup("kernel", `K2 gaussian fill (n=2^${Math.log2(n)})`, "samples/s", [
      { variant: "plain JS (Math.random Box–Muller)", fn: () => plainNormals(out), itemsPerCall: n, baseline: true },
      { variant: "TS twin (bit-exact)", fn: () => twin.fillNormal(rngT, out), itemsPerCall: n, twin: true },
      { variant: "wasm scalar", fn: rawFill(scalar, n), itemsPerCall: n },
      { variant: "wasm SIMD", fn: rawFill(simd, n), itemsPerCall: n },
      { variant: "public fillNormal (SIMD, copies out)", fn: () => simd.fillNormal(rngW, out), itemsPerCall: n },
    ], opts);
    rows.push(...fill);
    if (np) rows.push(externalRow(fill[0]!, "numpy standard_normal float32", np.normalF32, { wasmSimdVsThis: +(fill[3]!.throughput / np.normalF32).toPrecision(3) }));

    const x = RandomStream.of(2, "test").normals(n);
    const lv = new Int8Array(n);
    const rngR = RandomStream.of(3, "test"), rngK = RandomStream.of(3, "test");
    const round = await measureGroup("kernel", `K3 stochastic rounding (QSGD s=4, n=2^${Math.log2(n)})`, "bytes of f32 input/s", [
      { variant: "plain JS (Math.random)", fn: () => plainRound(x, 0.25, 4, lv), itemsPerCall: 4 * n, baseline: true },
      { variant: "TS twin (bit-exact)", fn: () => twin.qsgdRound(x, 0.25, 4, rngR), itemsPerCall: 4 * n, twin: true },
      { variant: "wasm scalar", fn: rawRound(scalar, x), itemsPerCall: 4 * n },
      { variant: "wasm SIMD", fn: rawRound(simd, x), itemsPerCall: 4 * n },
      { variant: "public qsgdRound (SIMD, copies in/out)", fn: () => simd.qsgdRound(x, 0.25, 4, rngK), itemsPerCall: 4 * n },
    ], opts);
    rows.push(...round);
    if (np) rows.push(externalRow(round[0]!, "numpy (random float32 + floor)", np.roundingBytes, { wasmSimdVsThis: +(round[3]!.throughput / np.roundingBytes).toPrecision(3) }));
    if (c) rows.push(externalRow(round[0]!, "C AVX2, same Philox4x32-10 (gcc -O3)", c.roundingBytes, { wasmSimdVsThis: +(round[3]!.throughput / c.roundingBytes).toPrecision(3) }));
    return rows;
  },
};
