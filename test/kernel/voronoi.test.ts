// Codebook generation and Voronoi search kernels (issue #3 items 1–2): the SIMD build, the
// scalar build and the TS twin agree bit for bit, the codebook is the documented slice of the
// stream, the search is the exact nearest neighbour with ties to the lowest index, and the
// opt-in relaxed build (run in a child Node with the V8 flag) differs only at near-ties.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { CB_UNIT, CB_ZERO_BIAS, type Kernel } from "../../src/kernel/kernel.js";
import { twinVoronoi } from "../../src/kernel/twin-voronoi.js";
import { RandomStream } from "../../src/random/index.js";
import { flavours, kernels } from "./flavours.js";

let K: Record<(typeof flavours)[number], Kernel>;
beforeAll(async () => { K = await kernels(); });

const bitsOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const rng = (round = 0) => RandomStream.of(77, "codebook", round, 5);
const SHAPES: [number, number][] = [[37, 7], [64, 16], [5, 3], [200, 16], [16, 1], [33, 20]];

describe("codebook generation", () => {
  it.each(SHAPES)("is bit-identical in the SIMD build, the scalar build and the TS twin (M = %i, d = %i)", (M, d) => {
    for (const mode of [0, CB_UNIT | CB_ZERO_BIAS]) {
      const t = twinVoronoi.codebookBlocked(rng(), M, d, 1.25, mode);
      for (const fl of flavours) expect(bitsOf(K[fl].codebookBlocked(rng(), M, d, 1.25, mode)).equals(bitsOf(t))).toBe(true);
    }
  });

  it("puts coordinate k of codeword j at α × normal number j·d + k of the stream, with bias −‖c‖²/2 in f32", () => {
    const M = 37, d = 7, alpha = 0.75;
    const z = rng().normals(M * d);
    const book = K.simd.codebookBlocked(rng(), M, d, alpha);
    const stride = (d + 1) * 16;
    for (let j = 0; j < M; j++) {
      const blk = Math.floor(j / 16) * stride, l = j % 16;
      let n2 = 0;
      for (let k = 0; k < d; k++) {
        const c = Math.fround(alpha * z[j * d + k]!);
        expect(book[blk + 16 * (k + 1) + l]).toBe(c);
        n2 = Math.fround(n2 + Math.fround(c * c));
      }
      expect(book[blk + l]).toBe(Math.fround(-0.5 * n2));
    }
  });

  it("pads the last block with −∞ bias and zero coordinates", () => {
    const M = 37, d = 4;
    const book = K.simd.codebookBlocked(rng(), M, d, 1);
    const blk = 2 * (d + 1) * 16;
    for (let l = M - 32; l < 16; l++) {
      expect(book[blk + l]).toBe(-Infinity);
      for (let k = 0; k < d; k++) expect(book[blk + 16 * (k + 1) + l]).toBe(0);
    }
  });

  it("normalises unit codewords to norm α (to f32 rounding)", () => {
    const M = 20, d = 9, alpha = 2;
    const rows = K.simd.codewordRows(rng(), M, d, alpha, Uint32Array.from({ length: M }, (_, j) => j), CB_UNIT);
    for (let j = 0; j < M; j++) {
      let n2 = 0;
      for (let k = 0; k < d; k++) n2 += rows[j * d + k]! ** 2;
      expect(Math.sqrt(n2)).toBeCloseTo(alpha, 5);
    }
  });

  it("advances the stream by ⌈M·d/4⌉ blocks, the same as drawing M·d normals", () => {
    for (const [M, d] of SHAPES) {
      const r = rng();
      K.scalar.codebookBlocked(r, M, d, 1);
      expect(r.counter).toBe(Math.ceil((M * d) / 4));
      const r2 = rng();
      K.simd.codewordRows(r2, M, d, 1, new Uint32Array([0]));
      expect(r2.counter).toBe(Math.ceil((M * d) / 4));
    }
  });

  it.each(SHAPES)("regenerates single codewords (codewordRows) equal to the full codebook's (M = %i, d = %i)", (M, d) => {
    const idx = Uint32Array.from([M - 1, 0, Math.floor(M / 2), M - 1, 1 % M]);
    for (const mode of [0, CB_UNIT]) {
      const book = twinVoronoi.codebookBlocked(rng(), M, d, 0.5, mode);
      const t = twinVoronoi.codewordRows(rng(), M, d, 0.5, idx, mode);
      idx.forEach((j, r) => {
        for (let k = 0; k < d; k++) expect(t[r * d + k]).toBe(book[Math.floor(j / 16) * (d + 1) * 16 + 16 * (k + 1) + (j % 16)]);
      });
      for (const fl of flavours) expect(bitsOf(K[fl].codewordRows(rng(), M, d, 0.5, idx, mode)).equals(bitsOf(t))).toBe(true);
    }
  });

  it("rejects bad shapes, scales and indices with a FedquantError", () => {
    const k = K.simd;
    expect(() => k.codebookBlocked(rng(), 16, 0, 1)).toThrow(/E_CONFIG.*d must/);
    expect(() => k.codebookBlocked(rng(), 16, 257, 1)).toThrow(/E_CONFIG/);
    expect(() => k.codebookBlocked(rng(), 0, 4, 1)).toThrow(/E_CONFIG.*M must/);
    expect(() => k.codebookBlocked(rng(), 16, 4, 0)).toThrow(/E_CONFIG.*α/);
    expect(() => k.codebookBlocked(rng(), 16, 4, NaN)).toThrow(FedquantError);
    expect(() => k.codewordRows(rng(), 16, 4, 1, new Uint32Array([16]))).toThrow(/E_INPUT.*16/);
    expect(() => k.voronoiSearch(new Float32Array(10), 4, new Float32Array(80), 16)).toThrow(/E_DIM/);
  });
});

/** Brute-force squared distances in f64. */
function nearest(x: Float32Array, rows: Float32Array, d: number): { j: number; dist: Float64Array } {
  const M = rows.length / d, dist = new Float64Array(M);
  let j = 0;
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += (x[k]! - rows[m * d + k]!) ** 2;
    dist[m] = s;
    if (s < dist[j]!) j = m;
  }
  return { j, dist };
}

describe("Voronoi search", () => {
  it.each([[1, 16, 64], [7, 16, 300], [64, 7, 37], [9, 3, 8], [33, 20, 129]])(
    "returns the same indices and scores in SIMD, scalar and the TS twin (nb = %i, d = %i, M = %i)", (nb, d, M) => {
      const book = twinVoronoi.codebookBlocked(rng(1), M, d, 1);
      const x = RandomStream.of(3, "test").normals(nb * d);
      const t = twinVoronoi.voronoiSearch(x, d, book, M);
      for (const fl of flavours) {
        const r = K[fl].voronoiSearch(x, d, book, M);
        expect(Array.from(r.index)).toEqual(Array.from(t.index));
        expect(bitsOf(r.score).equals(bitsOf(t.score))).toBe(true);
      }
    });

  it("finds the nearest codeword: its f64 distance is the minimum up to f32 score rounding", () => {
    const nb = 200, d = 16, M = 500;
    const x = RandomStream.of(4, "test").normals(nb * d);
    const r = K.simd.voronoiQuantize(rng(2), x, d, M, 1);
    const rows = K.simd.codewordRows(rng(2), M, d, 1, Uint32Array.from({ length: M }, (_, j) => j));
    let exact = 0;
    for (let i = 0; i < nb; i++) {
      const { j, dist } = nearest(x.subarray(i * d, i * d + d), rows, d);
      // scores are f32 sums of ~d terms of size ~‖x‖‖c‖ ≈ 16: a near-tie closer than 1e-4 may go either way
      expect(dist[r.index[i]!]! - dist[j]!).toBeLessThan(1e-4);
      if (r.index[i] === j) exact++;
    }
    expect(exact).toBeGreaterThan(nb - 3);
  });

  it("reports the score ⟨x, c⟩ − ‖c‖²/2 of the chosen codeword", () => {
    const d = 8, M = 40;
    const x = RandomStream.of(5, "test").normals(3 * d);
    const r = K.simd.voronoiQuantize(rng(3), x, d, M, 1);
    const c = K.simd.codewordRows(rng(3), M, d, 1, r.index);
    for (let i = 0; i < 3; i++) {
      let dot = 0, n2 = 0;
      for (let k = 0; k < d; k++) { dot += x[i * d + k]! * c[i * d + k]!; n2 += c[i * d + k]! ** 2; }
      expect(r.score[i]).toBeCloseTo(dot - n2 / 2, 4);
    }
  });

  it("breaks exact ties towards the lowest index, in every build", () => {
    const d = 4, M = 40;
    const book = twinVoronoi.codebookBlocked(rng(4), M, d, 1);
    const stride = (d + 1) * 16;
    // make codewords 3, 20 and 37 identical copies of one that sits right at x
    const x = new Float32Array([3, -2, 1, 0.5]);
    for (const j of [37, 20, 3]) {
      const blk = Math.floor(j / 16) * stride, l = j % 16;
      let n2 = 0;
      for (let k = 0; k < d; k++) { book[blk + 16 * (k + 1) + l] = x[k]!; n2 = Math.fround(n2 + x[k]! * x[k]!); }
      book[blk + l] = -0.5 * n2;
    }
    const xs = new Float32Array([...x, ...x, ...x]);
    for (const fl of flavours) expect(Array.from(K[fl].voronoiSearch(xs, d, book, M).index)).toEqual([3, 3, 3]);
    expect(Array.from(twinVoronoi.voronoiSearch(xs, d, book, M).index)).toEqual([3, 3, 3]);
  });

  it("never returns a padding lane, even when x is far from every codeword", () => {
    const d = 3, M = 5;
    const x = new Float32Array([1e30, -1e30, 1e30, 0, 0, 0]);
    for (const fl of flavours) {
      const r = K[fl].voronoiQuantize(rng(5), x, d, M, 1);
      for (const j of r.index) expect(j).toBeLessThan(M);
    }
  });

  it("with zero bias and unit codewords it maximises ⟨x, c⟩ (the HSQ greedy search)", () => {
    const d = 6, M = 50;
    const x = RandomStream.of(6, "test").normals(d);
    const r = K.simd.voronoiQuantize(rng(6), x, d, M, 1, CB_UNIT | CB_ZERO_BIAS);
    const rows = K.simd.codewordRows(rng(6), M, d, 1, Uint32Array.from({ length: M }, (_, j) => j), CB_UNIT);
    const dots = Array.from({ length: M }, (_, j) => rows.subarray(j * d, j * d + d).reduce((s, c, k) => s + c * x[k]!, 0));
    expect(r.index[0]).toBe(dots.indexOf(Math.max(...dots)));
    expect(r.score[0]).toBeCloseTo(Math.max(...dots), 5);
  });
});

describe("relaxed-SIMD build (opt-in)", () => {
  it("is never chosen automatically, and a request fails with E_WASM where the engine cannot validate it", async () => {
    const { loadKernel } = await import("../../src/kernel/index.js");
    const { relaxedSimdSupported } = await import("../../src/kernel/load.js");
    expect((await loadKernel()).flavour).not.toBe("relaxed");
    if (relaxedSimdSupported()) expect((await loadKernel({ flavour: "relaxed" })).flavour).toBe("relaxed");
    else await expect(loadKernel({ flavour: "relaxed" })).rejects.toThrow(/E_WASM.*relaxed/);
  });

  // Node 20 validates relaxed SIMD only behind a V8 flag: run the comparison in a child process.
  it("validates under --experimental-wasm-relaxed-simd and differs from plain SIMD only at near-ties", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const script = `
      import { readFileSync } from "node:fs";
      const inst = async (f) => (await WebAssembly.instantiate(readFileSync("build/fedquant." + f + ".wasm"), { env: { abort() { throw new Error("abort"); } } })).instance.exports;
      const out = {};
      const nb = 301, d = 16, M = 1000;
      for (const f of ["simd", "relaxed"]) {
        const k = await inst(f);
        const base = k.heapBase();
        const bookBytes = k.codebookBytes(M, d);
        k.memory.grow(Math.ceil((bookBytes + nb * d * 4 + 4096 + nb * 8) / 65536) + 1);
        const px = base, pb = base + nb * d * 4, pi = pb + bookBytes, ps = pi + nb * 4;
        const x = new Float32Array(k.memory.buffer, px, nb * d);
        let s = 12345;
        for (let i = 0; i < x.length; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = (s / 4294967296 - 0.5) * 6; }
        k.codebookBlocked(pb, M, d, 1, 0, 1, 2, 0, 0, 3, 4);
        k.voronoiSearch(px, nb, d, pb, M, pi, ps);
        out[f] = { idx: Array.from(new Uint32Array(k.memory.buffer, pi, nb)), score: Array.from(new Float32Array(k.memory.buffer, ps, nb)) };
      }
      const wat = readFileSync("build/fedquant.relaxed.wat", "utf8");
      console.log(JSON.stringify({ ...out, usesMadd: wat.includes("f32x4.relaxed_madd") }));`;
    const res = JSON.parse(execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" })) as
      { simd: { idx: number[]; score: number[] }; relaxed: { idx: number[]; score: number[] }; usesMadd: boolean };
    expect(res.usesMadd).toBe(true);
    let differ = 0;
    for (let i = 0; i < res.simd.idx.length; i++) {
      // fused vs unfused rounding moves a score by a few ulps of ~‖x‖‖c‖: only a winner within 1e-4 can change
      expect(Math.abs(res.simd.score[i]! - res.relaxed.score[i]!)).toBeLessThan(1e-4);
      if (res.simd.idx[i] !== res.relaxed.idx[i]) differ++;
    }
    expect(differ).toBeLessThanOrEqual(2);
  });
});
