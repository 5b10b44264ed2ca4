// Delaunay (dual quantization) compressor (issue #11 item 6e): the LP solver against HiGHS (the
// `highs` npm package) on random LPs and on the quantizer's own LPs, the decomposition's defining
// properties (Σλc = y, Σλ = 1, λ ≥ 0, optimality by LP duality), the contract harness (unbiasedness
// among others) and the bit budget of the E1 row.
import highsModule, { type Highs } from "highs";
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { solveByColumns, solveDenseLp, type DenseLp } from "../../src/compressors/delaunay-lp.js";
import { DelaunayQuantizer } from "../../src/compressors/delaunay-quantizer.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { compressorContract, gaussianVector } from "./contract.js";

compressorContract("delaunay d=4 M=2^5", () => createCompressor("delaunay", { d: 4, codebookBits: 5, scaleBits: 8 }), { dims: [3, 64], trials: 1500 });
compressorContract("delaunay d=16 M=2^10 (E1)", () => createCompressor("delaunay", {}), { dims: [16, 37], trials: 400, simdOnly: true });

// the package is CommonJS whose module.exports is the loader; TypeScript under NodeNext types the
// default import as the namespace, so name the loader's type here
const loadHighs = highsModule as unknown as () => Promise<Highs>;

/** The LP's optimum by HiGHS: objective or the status name. */
function highsSolve(h: Highs, lp: DenseLp): { status: string; objective: number } {
  const { m, n, A, b, c } = lp;
  const starts = Int32Array.from({ length: n + 1 }, (_, j) => j * m);
  const indices = Int32Array.from({ length: n * m }, (_, t) => t % m);
  return h.withModel({
    numCols: n, numRows: m, colCost: c, colLower: new Float64Array(n), colUpper: new Float64Array(n).fill(h.infinity),
    rowLower: b, rowUpper: b, matrix: { format: "csc", numRows: m, numCols: n, starts, indices, values: A },
  }, (model: { options: { set(o: object): void }; run(): void; getModelStatus(): number; getObjectiveValue(): number }) => {
    model.options.set({ output_flag: false });
    model.run();
    const code = model.getModelStatus();
    const status = Object.entries(h.constants.modelStatus).find(([, v]) => v === code)?.[0] ?? String(code);
    return { status, objective: model.getObjectiveValue() };
  });
}

/** A random dense LP: A ~ N(0,1); b = A z₀ for a random z₀ ≥ 0 (feasible) unless `infeasible`. */
function randomLp(seed: number, m: number, n: number, opts: { infeasible?: boolean; negCost?: boolean } = {}): DenseLp {
  const r = RandomStream.of(seed, "test", 0, 0);
  const A = Float64Array.from(r.normals(m * n));
  const z0 = Float64Array.from(r.uniforms(n), (u) => (u < 0.3 ? u : 0));
  const b = new Float64Array(m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) b[i] += A[j * m + i]! * z0[j]!;
  if (opts.infeasible) { for (let j = 0; j < n; j++) A[j * m] = Math.abs(A[j * m]!); b[0] = -1; } // row 0: Σ|a|z = −1
  const c = Float64Array.from(r.normals(n), (v) => (opts.negCost ? v : Math.abs(v) + 0.1));
  return { m, n, A, b, c };
}

describe("delaunay LP solver against HiGHS", () => {
  let h: Highs;
  beforeAll(async () => { h = await loadHighs(); useKernel(await loadKernel({ flavour: "simd" })); });

  it("finds HiGHS's optimum (to 1e-8 relative) on 30 random feasible LPs of 5–17 rows and 20–300 columns", () => {
    for (let s = 0; s < 30; s++) {
      const m = 5 + (s % 13), n = 20 + ((s * 37) % 281);
      const lp = randomLp(100 + s, m, n);
      const ours = solveDenseLp(lp), ref = highsSolve(h, lp);
      expect(ref.status).toBe("optimal");
      expect(ours.status).toBe("optimal");
      expect(Math.abs(ours.objective - ref.objective)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(ref.objective)));
      // and its point is primal feasible: A z = b, z ≥ 0
      const Az = new Float64Array(m);
      ours.basis.forEach((j, i) => { if (j >= 0) for (let k = 0; k < m; k++) Az[k] += lp.A[j * m + k]! * ours.values[i]!; });
      for (let k = 0; k < m; k++) expect(Math.abs(Az[k]! - lp.b[k]!)).toBeLessThan(1e-8 * (1 + Math.abs(lp.b[k]!)));
      expect(Math.min(...ours.values)).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports infeasible and unbounded LPs as HiGHS does", () => {
    const inf = randomLp(7, 6, 40, { infeasible: true });
    expect(solveDenseLp(inf).status).toBe("infeasible");
    expect(highsSolve(h, inf).status).toMatch(/infeasible/i);
    // free direction: costs of either sign on columns ±a (a column and its negative make a line)
    const lp = randomLp(8, 4, 30, { negCost: true });
    const A = new Float64Array(lp.A.length + 2 * lp.m);
    A.set(lp.A); for (let i = 0; i < lp.m; i++) { A[lp.A.length + i] = 1; A[lp.A.length + lp.m + i] = -1; }
    const unb = { m: lp.m, n: lp.n + 2, A, b: lp.b, c: Float64Array.from([...lp.c, -1, -1]) };
    expect(solveDenseLp(unb).status).toBe("unbounded");
    expect(highsSolve(h, unb).status).toMatch(/unbounded/i);
  });

  it("column generation returns the full LP's optimum from any starting subset", () => {
    for (let s = 0; s < 10; s++) {
      const lp = randomLp(200 + s, 9, 256);
      const order = Int32Array.from({ length: 256 }, (_, j) => (j * 97 + s) % 256);
      const full = highsSolve(h, lp).objective, cg = solveByColumns(lp, order, 12);
      expect(cg.status).toBe("optimal");
      expect(Math.abs(cg.objective - full)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(full)));
    }
  });

  it("solves the quantizer's gauge and decomposition LPs (d = 16, M = 2^10) to HiGHS's optimum", () => {
    const q = new DelaunayQuantizer({});
    const { C, sq } = (q as unknown as { book(r: RandomStream): { C: Float64Array; sq: Float64Array } }).book(RandomStream.of(3, "compress", 0, 0));
    const m = 17, M = 1024;
    for (let t = 0; t < 4; t++) {
      const x = Float64Array.from(gaussianVector(16, 40 + t));
      const { g } = q.gauge({ C, sq }, x);
      // gauge LP by HiGHS: max t s.t. Σλc − t x = 0, Σλ = 1
      const A = new Float64Array((M + 1) * m);
      for (let j = 0; j < M; j++) { for (let k = 0; k < 16; k++) A[j * m + k] = C[j * 16 + k]!; A[j * m + 16] = 1; }
      for (let k = 0; k < 16; k++) A[M * m + k] = -x[k]!;
      const b = new Float64Array(m); b[16] = 1;
      const c = new Float64Array(M + 1); c[M] = -1;
      const tStar = -highsSolve(h, { m, n: M + 1, A, b, c }).objective;
      expect(Math.abs(g - 1 / tStar)).toBeLessThan(1e-8 * g);
      // decomposition of y = x/(1.3 g) by HiGHS: min Σλ‖c‖² s.t. Σλc = y, Σλ = 1
      const y = x.map((v) => v / (1.3 * g));
      const w = q.weights({ C, sq }, y);
      const b2 = new Float64Array(m); for (let k = 0; k < 16; k++) b2[k] = y[k]!; b2[16] = 1;
      const ref = highsSolve(h, { m, n: M, A: A.subarray(0, M * m), b: b2, c: sq }).objective - y.reduce((a, v) => a + v * v, 0);
      expect(Math.abs(w.inertia - ref)).toBeLessThan(1e-8 * Math.abs(ref));
    }
  });
});

describe("delaunay decomposition", () => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });

  it("writes y as a convex combination of at most d + 1 codewords whose inertia no single other codeword can lower (LP duality)", () => {
    const q = new DelaunayQuantizer({ d: 8, codebookBits: 8 });
    const book = (q as unknown as { book(r: RandomStream): { C: Float64Array; sq: Float64Array } }).book(RandomStream.of(5, "compress", 0, 0));
    const x = Float64Array.from(gaussianVector(8, 50));
    const { g } = q.gauge(book, x);
    const y = x.map((v) => v / (1.1 * g));
    const { index, lambda, inertia } = q.weights(book, y);
    const used = Array.from(index).map((j, i) => [j, lambda[i]!] as const).filter(([j, l]) => j >= 0 && l > 0);
    expect(used.length).toBeLessThanOrEqual(9);
    const sum = used.reduce((a, [, l]) => a + l, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    for (let k = 0; k < 8; k++) expect(Math.abs(used.reduce((a, [j, l]) => a + l * book.C[j * 8 + k]!, 0) - y[k]!)).toBeLessThan(1e-12);
    // inertia Σλ‖y − c‖² recomputed from its definition
    const direct = used.reduce((a, [j, l]) => a + l * Array.from({ length: 8 }, (_, k) => (y[k]! - book.C[j * 8 + k]!) ** 2).reduce((s, v) => s + v, 0), 0);
    expect(Math.abs(direct - inertia)).toBeLessThan(1e-9 * direct);
    // empty circumsphere: the affine function ‖c‖² − ⟨π, c⟩ − π₀ through the simplex's vertices is
    // ≥ 0 at every codeword (the Delaunay property, i.e. dual feasibility ⇒ optimality)
    const m = 9, A = new Float64Array(256 * m);
    for (let j = 0; j < 256; j++) { for (let k = 0; k < 8; k++) A[j * m + k] = book.C[j * 8 + k]!; A[j * m + 8] = 1; }
    const b = new Float64Array(m); for (let k = 0; k < 8; k++) b[k] = y[k]!; b[8] = 1;
    const sol = solveDenseLp({ m, n: 256, A, b, c: book.sq });
    for (let j = 0; j < 256; j++) {
      let r = book.sq[j]!;
      for (let k = 0; k < m; k++) r -= sol.duals[k]! * A[j * m + k]!;
      expect(r).toBeGreaterThan(-1e-9);
    }
  });

  it("spends log2 M + scaleBits per bucket plus one float32 step (16 bits per 16-dim bucket at the E1 size)", () => {
    const c = createCompressor("delaunay", { d: 16, codebookBits: 10, scaleBits: 6 });
    const msg = c.encode(gaussianVector(320, 1), RandomStream.of(1, "compress"));
    expect(c.bits(msg).payloadBits).toBe(32 + 20 * 16);
    expect(msg[3]).toBe(9);
  });

  it("rejects out-of-range parameters with E_CONFIG", () => {
    expect(() => createCompressor("delaunay", { codebookBits: 0 })).toThrow(/E_CONFIG/);
    expect(() => createCompressor("delaunay", { d: 65 })).toThrow(/E_CONFIG/);
    expect(() => createCompressor("delaunay", { scaleBits: 17 })).toThrow(/E_CONFIG/);
  });
});
