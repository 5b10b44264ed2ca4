// End-to-end benches of issue #9, through the public API as a user calls it: QSGD at D = 25M
// (bucket 512, s ∈ {1, 4}, fixed and Elias; encode, decode — into a fresh array, and decodeInto a
// reused one —, both) against a plain-JS QSGD, and
// DoStoVoQ (M = 2^13, d = 16, 3 radius bits) at D = 2^20 and 2^24: the first call of a fresh
// process (V8 starts every wasm function on its baseline tier), the fifth, and peak linear
// memory. All in CPU time. DoStoVoQ runs in a child Node per D so its first call is a real one
// (V8 shares compiled wasm between instances of one process). `npm run bench -- --only e2e
// --qsgd-only` runs the QSGD rows alone.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { cpuMicros, median, type BenchOptions, type Row, type Suite } from "../harness.js";

const sec = (f: () => void) => { const t = cpuMicros(); f(); return (cpuMicros() - t) / 1e6; };

/** Plain-JS QSGD (what a user writes): per-bucket ℓ2 norm, Math.random rounding to int8 levels, and back. */
function plainQsgd(x: Float32Array, b: number, s: number): { norms: Float32Array; levels: Int8Array } {
  const nb = Math.ceil(x.length / b), norms = new Float32Array(nb), levels = new Int8Array(x.length);
  for (let j = 0; j < nb; j++) {
    let ss = 0;
    for (let i = j * b; i < Math.min(x.length, (j + 1) * b); i++) ss += x[i]! * x[i]!;
    const norm = Math.sqrt(ss);
    norms[j] = norm;
    if (norm === 0) continue;
    for (let i = j * b; i < Math.min(x.length, (j + 1) * b); i++) {
      const a = (Math.abs(x[i]!) * s) / norm, l = Math.floor(a);
      const v = Math.min(s, l + (Math.random() < a - l ? 1 : 0));
      levels[i] = x[i]! < 0 ? -v : v;
    }
  }
  return { norms, levels };
}
function plainQsgdDecode(m: { norms: Float32Array; levels: Int8Array }, b: number, s: number): Float32Array {
  const out = new Float32Array(m.levels.length);
  for (let i = 0; i < out.length; i++) out[i] = (m.norms[Math.floor(i / b)]! * m.levels[i]!) / s;
  return out;
}

async function qsgdRows(opts: BenchOptions): Promise<Row[]> {
  const D = opts.quick ? 1 << 20 : 25_000_000, b = 512, reps = opts.quick ? 2 : 5;
  const x = RandomStream.of(1, "test").normals(D);
  const rows: Row[] = [];
  const group = `QSGD D=${opts.quick ? "2^20" : "25M"} bucket=${b}`, unit = "bytes of f32 input/s";
  for (const s of [1, 4]) {
    const pe: number[] = [], pd: number[] = [];
    for (let r = 0; r < reps; r++) {
      let m!: ReturnType<typeof plainQsgd>;
      pe.push(sec(() => { m = plainQsgd(x, b, s); }));
      pd.push(sec(() => plainQsgdDecode(m, b, s)));
    }
    const plain = (4 * D) / (median(pe) + median(pd));
    rows.push({ suite: "e2e", group, variant: `s=${s} plain JS (Math.random, int8 levels): encode+decode`, throughput: plain, unit, ratio: 1,
      extra: { encode: +((4 * D) / median(pe) / 1e9).toPrecision(3), decode: +((4 * D) / median(pd) / 1e9).toPrecision(3) } });
    for (const coding of ["fixed", "elias"] as const) {
      const k = await loadKernel({ flavour: "simd" });
      useKernel(k);
      const c = createCompressor("qsgd", { s, bucket: b, coding });
      const te: number[] = [], td: number[] = [], ti: number[] = [];
      let msg: Uint8Array = new Uint8Array(0);
      const buf = new Float32Array(D);
      // encode + decodeInto a reused array (a user who keeps one buffer) first, then decode into
      // fresh arrays: each 100 MB array decode leaves is garbage whose collection (CPU time, on
      // V8's threads too) lands in whatever runs next, so it is kept out of the reused-buffer rounds
      for (let r = 0; r < reps + 1; r++) {
        const rng = RandomStream.of(2, "compress", r);
        const e = sec(() => { msg = c.encode(x, rng); });
        const i = sec(() => { c.decodeInto(msg, buf); });
        if (r > 0) { te.push(e); ti.push(i); } // the first round warms up
      }
      for (let r = 0; r < reps + 1; r++) {
        const d = sec(() => { c.decode(msg, D); });
        if (r > 0) td.push(d);
      }
      const both = (4 * D) / (median(te) + median(td));
      rows.push({ suite: "e2e", group, variant: `s=${s} ${coding}: encode+decode (fedquant, wasm SIMD)`, throughput: both, unit, ratio: both / plain,
        extra: { encode: +((4 * D) / median(te) / 1e9).toPrecision(3), decode: +((4 * D) / median(td) / 1e9).toPrecision(3),
          decodeInto: +((4 * D) / median(ti) / 1e9).toPrecision(3), encodePlusDecodeInto: +((4 * D) / (median(te) + median(ti)) / 1e9).toPrecision(3),
          peakLinearMemoryMiB: +(k.memoryBytes / 2 ** 20).toFixed(1), inputPlusOutputMiB: +((4 * D + msg.length) / 2 ** 20).toFixed(1),
          bitsPerCoordinate: +((8 * msg.length) / D).toFixed(3) } });
    }
  }
  // the floor every decode pays here: a fresh Float32Array(D) written once (page faults of new memory)
  const fresh = median(Array.from({ length: reps }, () => sec(() => { new Float32Array(D).fill(1); })));
  rows.push({ suite: "e2e", group, variant: "reference: allocate + write a fresh Float32Array(D)", throughput: (4 * D) / fresh, unit, ratio: (4 * D) / fresh / rows[0]!.throughput });
  return rows;
}

interface DostovoqChild { first: number; fifth: number; decode: number; peakMiB: number; bits: number }

async function dostovoqChild(D: number): Promise<void> {
  const k = await loadKernel({ flavour: "simd" });
  useKernel(k);
  const c = createCompressor("dostovoq");
  const g = RandomStream.of(7, "test").normals(D);
  const t: number[] = [];
  let msg: Uint8Array = new Uint8Array(0);
  for (let r = 0; r < 5; r++) t.push(sec(() => { msg = c.encode(g, RandomStream.of(8, "compress", r, 1)); }));
  const decode = sec(() => { c.decode(msg, D); });
  const out: DostovoqChild = { first: t[0]!, fifth: t[4]!, decode, peakMiB: k.memoryBytes / 2 ** 20, bits: (8 * msg.length) / D };
  process.stdout.write(JSON.stringify(out));
}

function dostovoqRows(opts: BenchOptions): Row[] {
  const rows: Row[] = [];
  for (const lg of opts.quick ? [16] : [20, 24]) {
    const D = 2 ** lg;
    const r = JSON.parse(execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--e2e-dostovoq-child", String(D)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 1_800_000 })) as DostovoqChild;
    const group = `DoStoVoQ D=2^${lg} (M=2^13, d=16, 3 radius bits)`, unit = "coordinates/s";
    const extra = { peakLinearMemoryMiB: +r.peakMiB.toFixed(2), bitsPerCoordinate: +r.bits.toFixed(4) };
    rows.push({ suite: "e2e", group, variant: "encode, fifth call (steady state)", throughput: D / r.fifth, unit, ratio: 1, extra });
    rows.push({ suite: "e2e", group, variant: "encode, first call of a fresh process", throughput: D / r.first, unit, ratio: r.fifth / r.first, extra: { firstOverFifth: +(r.first / r.fifth).toFixed(2), ...extra } });
    rows.push({ suite: "e2e", group, variant: "decode", throughput: D / r.decode, unit, ratio: r.fifth / r.decode, extra });
  }
  return rows;
}

export const e2eSuite: Suite = {
  name: "e2e",
  async run(opts: BenchOptions): Promise<Row[]> {
    // `npm run bench -- --only e2e --qsgd-only`: the QSGD rows alone (a few minutes instead of the DoStoVoQ children's)
    return [...await qsgdRows(opts), ...(process.argv.includes("--qsgd-only") ? [] : dostovoqRows(opts))];
  },
};

const childAt = process.argv.indexOf("--e2e-dostovoq-child");
if (childAt >= 0) await dostovoqChild(Number(process.argv[childAt + 1]));
