// Voronoi benches of issue #3: the StoVoQ nearest-neighbour search (d = 16, M = 8192, 4096
// buckets) in plain JS (the baseline), the TS twin, wasm scalar, wasm SIMD, wasm relaxed SIMD and
// numpy (GFLOP/s, 2·d·M flops per bucket); codebook generation. DoStoVoQ end to end: e2e.ts. Relaxed SIMD needs `--experimental-wasm-relaxed-simd` on
// Node 20: when this process cannot validate it, a child Node with the flag measures relaxed and
// plain SIMD side by side (its ratio is same-process) and its absolute numbers are reported.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadKernel, type Kernel } from "../../src/kernel/index.js";
import { relaxedSimdSupported } from "../../src/kernel/load.js";
import { twinVoronoi } from "../../src/kernel/twin-voronoi.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, externalRow, measureGroup, type BenchOptions, type Row, type Suite } from "../harness.js";
import { C_VORONOI_BUILDS, cVoronoiRef, numpyRef, type CVoronoiBuild } from "../refs.js";

const D_SEARCH = 16, M_SEARCH = 8192;

/** Search on buffers already in linear memory (what the DoStoVoQ encoder pays per message). */
function rawSearch(k: Kernel, nb: number): () => void {
  const x = RandomStream.of(2, "test").normals(nb * D_SEARCH);
  const px = k.putF32(x);
  const pb = k.alloc(k.raw.codebookBytes(M_SEARCH, D_SEARCH));
  k.raw.codebookBlocked(pb, M_SEARCH, D_SEARCH, 1, 0, 1, 2, 0, 0, 3, 4);
  const pi = k.alloc(nb * 4), ps = k.alloc(nb * 4);
  return () => k.raw.voronoiSearch(px, nb, D_SEARCH, pb, M_SEARCH, pi, ps);
}

function rawCodebook(k: Kernel): () => void {
  const pb = k.alloc(k.raw.codebookBytes(M_SEARCH, D_SEARCH));
  let ctr = 0;
  return () => { k.raw.codebookBlocked(pb, M_SEARCH, D_SEARCH, 1, 0, 1, 2, ctr, 0, 3, 4); ctr += (M_SEARCH * D_SEARCH) / 4; };
}

/** A plain f64 JS search, no Math.fround (not bit-identical): what straightforward TS code gets. */
function plainTsSearch(book: Float32Array, x: Float32Array, nb: number): Uint32Array {
  const d = D_SEARCH, stride = (d + 1) * 16, out = new Uint32Array(nb);
  for (let i = 0; i < nb; i++) {
    let best = -Infinity, idx = 0;
    for (let b = 0; b < M_SEARCH / 16; b++) {
      for (let l = 0; l < 16; l++) {
        let s = book[b * stride + l]!;
        for (let k = 0, p = b * stride + 16 + l; k < d; k++, p += 16) s += x[i * d + k]! * book[p]!;
        if (s > best) { best = s; idx = 16 * b + l; }
      }
    }
    out[i] = idx;
  }
  return out;
}

/** Best-of-n CPU time of fn in ms (the child reports raw numbers; its ratio is same-process). */
function bestMs(fn: () => void, n: number): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < n; i++) { const t = cpuMicros(); fn(); best = Math.min(best, (cpuMicros() - t) / 1000); }
  return best;
}

interface ChildResult { simdFlops: number; relaxedFlops: number }

async function childMain(quick: boolean): Promise<void> {
  const nb = quick ? 512 : 4096, reps = quick ? 3 : 7;
  const out: Record<string, number> = {};
  for (const flavour of ["simd", "relaxed"] as const) {
    const k = await loadKernel({ flavour });
    out[`${flavour}Flops`] = (2 * D_SEARCH * M_SEARCH * nb) / (bestMs(rawSearch(k, nb), reps) / 1000);
  }
  process.stdout.write(JSON.stringify(out));
}

function relaxedInChild(quick: boolean): ChildResult | string {
  try {
    const self = fileURLToPath(import.meta.url);
    const outText = execFileSync(process.execPath, [...process.execArgv, "--experimental-wasm-relaxed-simd", self, "--voronoi-child", quick ? "quick" : "full"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
    return JSON.parse(outText) as ChildResult;
  } catch (e) {
    return `relaxed SIMD unavailable (${(e as Error).message.split("\n")[0]})`;
  }
}

export const voronoiSuite: Suite = {
  name: "voronoi",
  async run(opts: BenchOptions): Promise<Row[]> {
    const simd = await loadKernel({ flavour: "simd" });
    const scalar = await loadKernel({ flavour: "scalar" });
    const rows: Row[] = [];
    const nb = opts.quick ? 512 : 4096, nbTwin = opts.quick ? 32 : 256, nbScalar = opts.quick ? 64 : 1024;
    const flops = (n: number) => 2 * D_SEARCH * M_SEARCH * n;

    const book = twinVoronoi.codebookBlocked(RandomStream.of(1, "test"), M_SEARCH, D_SEARCH, 1);
    const xt = RandomStream.of(2, "test").normals(nbTwin * D_SEARCH);
    const search = await measureGroup("voronoi", `search d=${D_SEARCH} M=${M_SEARCH}`, "FLOP/s", [
      { variant: `plain JS f64, not bit-exact (${nbTwin} buckets)`, fn: () => plainTsSearch(book, xt, nbTwin), itemsPerCall: flops(nbTwin), baseline: true },
      { variant: `TS twin (${nbTwin} buckets)`, fn: () => twinVoronoi.voronoiSearch(xt, D_SEARCH, book, M_SEARCH), itemsPerCall: flops(nbTwin), twin: true },
      { variant: `wasm scalar (${nbScalar} buckets)`, fn: rawSearch(scalar, nbScalar), itemsPerCall: flops(nbScalar) },
      { variant: `wasm SIMD (${nb} buckets)`, fn: rawSearch(simd, nb), itemsPerCall: flops(nb) },
    ], opts);
    rows.push(...search);
    const np = numpyRef(opts.quick);
    if (np) rows.push(externalRow(search[0]!, `numpy, chunks of 256 buckets (${nb})`, np.searchFlops, { wasmSimdVsThis: +(search[3]!.throughput / np.searchFlops).toPrecision(3) }));
    // three C builds of one kernel (bench/refs/voronoi_ref.c): AVX2 + FMA (256-bit lanes, fused; one
    // core's peak), AVX2 without FMA (the "C AVX2" of issue #9), and FMA on 128-bit lanes (the width
    // wasm SIMD has: what relaxed_madd can reach at best)
    const cRows = new Map<CVoronoiBuild, Row>();
    for (const build of ["avx2Fma", "avx2", "lanes128Fma"] as const) {
      const cv = cVoronoiRef(opts.quick, build);
      if (!cv) continue;
      const row = externalRow(search[0]!, `${C_VORONOI_BUILDS[build].label} (${nb})`, cv.searchFlops, { wasmSimdVsThis: +(search[3]!.throughput / cv.searchFlops).toPrecision(3) });
      cRows.set(build, row);
      rows.push(row);
    }

    const rngT = RandomStream.of(3, "test");
    rows.push(...await measureGroup("voronoi", `codebook M=${M_SEARCH} d=${D_SEARCH}`, "codewords/s", [
      { variant: "TS twin", fn: () => twinVoronoi.codebookBlocked(rngT, M_SEARCH, D_SEARCH, 1), itemsPerCall: M_SEARCH, baseline: true },
      { variant: "wasm scalar", fn: rawCodebook(scalar), itemsPerCall: M_SEARCH },
      { variant: "wasm SIMD", fn: rawCodebook(simd), itemsPerCall: M_SEARCH },
    ], opts));

    // DoStoVoQ end to end (first call, steady state, peak memory): bench/suites/e2e.ts
    // relaxed SIMD: in-process when validated, else in a child Node with the V8 flag
    const baseFlops = search[0]!.throughput, simdFlops = search[3]!.throughput;
    const vs = (f: number, b: CVoronoiBuild, key: string): Record<string, number> => {
      const c = cRows.get(b);
      return c ? { [key]: +(f / c.throughput).toFixed(3) } : {};
    };
    const vsC = (f: number): Record<string, number> =>
      ({ ...vs(f, "avx2", "vsCAvx2"), ...vs(f, "avx2Fma", "vsCAvx2Fma"), ...vs(f, "lanes128Fma", "vsC128Fma") });
    if (relaxedSimdSupported()) {
      const relaxed = await loadKernel({ flavour: "relaxed" });
      const [r] = await measureGroup("voronoi", `search d=${D_SEARCH} M=${M_SEARCH}`, "FLOP/s", [
        { variant: `wasm relaxed SIMD (${nb} buckets)`, fn: rawSearch(relaxed, nb), itemsPerCall: flops(nb) }], opts);
      rows.splice(4, 0, { ...r!, ratio: r!.throughput / baseFlops, extra: { vsSimd: +(r!.throughput / simdFlops).toFixed(3), ...vsC(r!.throughput) } });
    } else {
      const c = relaxedInChild(opts.quick);
      if (typeof c === "string") console.log(c);
      else {
        rows.splice(4, 0,
          { suite: "voronoi", group: `search d=${D_SEARCH} M=${M_SEARCH}`, variant: `wasm relaxed SIMD, child (${nb})`, throughput: c.relaxedFlops, unit: "FLOP/s", ratio: c.relaxedFlops / baseFlops,
            extra: { vsSimdInChild: +(c.relaxedFlops / c.simdFlops).toFixed(3), simdInChild: +(c.simdFlops / 1e9).toFixed(2), ...vsC(c.relaxedFlops) } });
      }
    }
    return rows;
  },
};

if (process.argv.includes("--voronoi-child")) {
  await childMain(process.argv.includes("quick"));
}
