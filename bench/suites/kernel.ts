// Kernel benches of issue #2: Gaussian fill and QSGD stochastic rounding, wasm SIMD vs wasm
// scalar vs the TS twin. The wasm variants call the raw exports on buffers already in linear
// memory (what a compressor pipeline pays); the twin works on ordinary typed arrays.
import { loadKernel, type Kernel } from "../../src/kernel/index.js";
import { twin } from "../../src/kernel/twin.js";
import { RandomStream } from "../../src/random/index.js";
import { measureGroup, type BenchOptions, type Row, type Suite } from "../harness.js";

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

export const kernelSuite: Suite = {
  name: "kernel",
  async run(opts: BenchOptions): Promise<Row[]> {
    const simd = await loadKernel({ flavour: "simd" });
    const scalar = await loadKernel({ flavour: "scalar" });
    const n = opts.quick ? 1 << 14 : 1 << 18;
    const rows: Row[] = [];

    const twinOut = new Float32Array(n);
    const rngT = RandomStream.of(1, "test");
    rows.push(...await measureGroup("kernel", "gaussian fill", "samples/s", [
      { variant: "TS twin", fn: () => twin.fillNormal(rngT, twinOut), itemsPerCall: n, baseline: true },
      { variant: "wasm scalar", fn: rawFill(scalar, n), itemsPerCall: n },
      { variant: "wasm SIMD", fn: rawFill(simd, n), itemsPerCall: n },
    ], opts));

    const x = RandomStream.of(2, "test").normals(n);
    const rngR = RandomStream.of(3, "test");
    rows.push(...await measureGroup("kernel", "stochastic rounding (QSGD s=4)", "bytes of f32 input/s", [
      { variant: "TS twin", fn: () => twin.qsgdRound(x, 0.25, 4, rngR), itemsPerCall: 4 * n, baseline: true },
      { variant: "wasm scalar", fn: rawRound(scalar, x), itemsPerCall: 4 * n },
      { variant: "wasm SIMD", fn: rawRound(simd, x), itemsPerCall: 4 * n },
    ], opts));
    return rows;
  },
};
