// Dual (Delaunay) quantization as a per-bucket quantizer (Pagès & Wilbertz, "Intrinsic stationarity
// for vector quantization: foundation of dual quantization", SIAM J. Numer. Anal. 2012; the
// "Delaunay quantizer" of the StoVoQ seeds). A point y inside the convex hull of a codebook C is
// written y = Σ λ_i c_i with λ ≥ 0, Σ λ = 1, choosing the λ that minimises the inertia
// Σ λ_i ‖y − c_i‖²; then c_I is sent with probability λ_I, so E[c_I] = y exactly. Under the
// constraints the inertia equals Σ λ_i ‖c_i‖² − ‖y‖², so this is the LP
//     min Σ λ_i ‖c_i‖²   s.t.  Σ λ_i c_i = y,  Σ λ_i = 1,  λ ≥ 0        (d + 1 equality rows)
// whose optimal basis is the Delaunay simplex of C containing y (the lower hull of the lifted
// points (c_i, ‖c_i‖²)) — hence the name.
// A bucket x is first shrunk into the hull: its gauge g(x) = min{s > 0 : x/s ∈ conv C} (one more LP:
// max t s.t. Σ λ_i c_i = t·x, Σ λ_i = 1) is rounded UP to a per-message grid ŝ ∈ {Δ, 2Δ, …, LΔ},
// L = 2^scaleBits − 1 (Δ = max_b g_b / L, a float32 sent once), so x/ŝ stays in the hull (the hull
// contains 0, see below, and is star-shaped from it). Output Q(x) = ŝ·c_I: E[Q | C] = ŝ·x/ŝ = x,
// unbiased for every codebook, and E‖Q − x‖² = ŝ² Σ λ_i ‖c_i‖² − ‖x‖².
// Codebook: M = 2^codebookBits codewords, antipodal pairs c_{j + M/2} = −c_j with c_j ~ N(0, I_d)
// from the message's stream (the StoVoQ codebook stream, assembly/codebook.ts): a unitarily invariant
// law whose hull always contains 0, so every bucket has a finite gauge.
// Randomness per message, in order: the ⌈(M/2)·d/4⌉ codebook blocks, then one uniform per bucket.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { intParam } from "./compressor.js";
import { solveByColumns, type LpSolution } from "./delaunay-lp.js";
import { checkSideFloat, gridStep, type BucketCodes, type BucketQuantizer } from "./stovoq-buckets.js";

export interface DelaunayParams {
  /** Bucket dimension (1..64). Default 16. */
  d?: number;
  /** log2 M, the codebook size (1..14; M ≥ 2). Default 10. */
  codebookBits?: number;
  /** Bits of the scale level (1..16). Default 6. */
  scaleBits?: number;
}

/** Columns of the first restricted LP (column generation adds the rest only if they price out). */
const FIRST_COLUMNS = 64;

/** Indices sorted by increasing score (ties by index). */
function argsort(score: Float64Array): Int32Array {
  return Int32Array.from({ length: score.length }, (_, j) => j).sort((p, q) => score[p]! - score[q]! || p - q);
}

/** The codebook of a message: M rows of d (antipodal pairs) and their squared norms, in float64. */
interface Book { C: Float64Array; sq: Float64Array }

export class DelaunayQuantizer implements BucketQuantizer {
  readonly kind = "delaunay";
  readonly id = 3;
  readonly d: number;
  readonly M: number;
  readonly unbiased = true;
  readonly codeBits: number;
  readonly params: Readonly<Required<DelaunayParams>>;
  private readonly L: number;

  constructor(p: DelaunayParams = {}, label = "delaunay") {
    const d = intParam("d", label, p.d ?? 16, 1, 64);
    const codebookBits = intParam("codebookBits", label, p.codebookBits ?? 10, 1, 14);
    const scaleBits = intParam("scaleBits", label, p.scaleBits ?? 6, 1, 16);
    if (codebookBits + scaleBits > 32) throw new FedquantError("E_CONFIG", `${label}: codebookBits + scaleBits must be ≤ 32`);
    this.params = { d, codebookBits, scaleBits };
    this.d = d; this.M = 2 ** codebookBits; this.L = 2 ** scaleBits - 1;
    this.codeBits = codebookBits + scaleBits;
  }

  floatCount(): number { return 1; }

  paramBytes(): Uint8Array {
    const out = new Uint8Array(4), v = new DataView(out.buffer);
    v.setUint16(0, this.d, true); out[2] = Math.log2(this.M); out[3] = Math.log2(this.L + 1);
    return out;
  }

  /** Codewords `indices` (0..M−1) of the message's codebook; consumes the codebook blocks of rng. */
  private codewords(rng: RandomStream, indices: Uint32Array): Float64Array {
    const half = this.M / 2, d = this.d;
    const base = kernel().codewordRows(rng, half, d, 1, indices.map((j) => j % half), 0);
    const out = new Float64Array(indices.length * d);
    for (let t = 0; t < indices.length; t++) {
      const s = indices[t]! >= half ? -1 : 1;
      for (let k = 0; k < d; k++) out[t * d + k] = s * base[t * d + k]!;
    }
    return out;
  }

  private book(rng: RandomStream): Book {
    const C = this.codewords(rng, Uint32Array.from({ length: this.M }, (_, j) => j));
    const sq = new Float64Array(this.M);
    for (let j = 0; j < this.M; j++) { let s = 0; for (let k = 0; k < this.d; k++) s += C[j * this.d + k]! ** 2; sq[j] = s; }
    return { C, sq };
  }

  /** LP columns [c_j; 1] (plus extra columns appended by the caller). */
  private columns(book: Book, extra: number): Float64Array {
    const { d, M } = this, m = d + 1;
    const A = new Float64Array((M + extra) * m);
    for (let j = 0; j < M; j++) {
      for (let k = 0; k < d; k++) A[j * m + k] = book.C[j * d + k]!;
      A[j * m + d] = 1;
    }
    return A;
  }

  /**
   * g(x) = 1/t*, t* = max t s.t. Σλ_i c_i − t·x = 0, Σλ_i = 1, λ, t ≥ 0; and the codewords of the
   * facet the ray meets (the optimal basis), from which x/s for any s ≥ g is a convex combination
   * together with one antipodal pair (whose midpoint is 0).
   */
  gauge(book: Book, x: Float64Array): { g: number; facet: number[] } {
    const { d, M } = this, m = d + 1;
    const A = this.columns(book, 1);
    for (let k = 0; k < d; k++) A[M * m + k] = -x[k]!;
    const b = new Float64Array(m); b[d] = 1;
    const c = new Float64Array(M + 1); c[M] = -1;
    // the facet the ray through x meets is spanned by codewords far along x: try those first
    const score = new Float64Array(M + 1);
    for (let j = 0; j < M; j++) { let s = 0; for (let k = 0; k < d; k++) s += book.C[j * d + k]! * x[k]!; score[j] = -s; }
    score[M] = -Infinity; // t first
    const sol = solveByColumns({ m, n: M + 1, A, b, c }, argsort(score), FIRST_COLUMNS);
    // 0 ∈ conv C (antipodal codebook), so t = 0 is feasible and t* ≤ max‖c‖/‖x‖ is bounded
    if (sol.status !== "optimal" || !(sol.objective < 0)) throw new FedquantError("E_STATE", `delaunay: the gauge LP ended ${sol.status}`);
    return { g: -1 / sol.objective, facet: Array.from(sol.basis).filter((j) => j >= 0 && j < M) };
  }

  /**
   * The inertia-minimising weights of y ∈ conv C: columns and λ (the LP's basis). `seed`: codewords
   * whose hull (with one antipodal pair) holds y — the gauge facet — so the first restricted LP is
   * feasible.
   */
  weights(book: Book, y: Float64Array, seed: number[] = []): { index: Int32Array; lambda: Float64Array; inertia: number } {
    const { d, M } = this, m = d + 1;
    const A = this.columns(book, 0);
    const b = new Float64Array(m);
    for (let k = 0; k < d; k++) b[k] = y[k]!;
    b[d] = 1;
    // the Delaunay simplex of y has an empty circumsphere around a centre near y: nearest codewords first
    const score = new Float64Array(M);
    for (let j = 0; j < M; j++) { let s = 0; for (let k = 0; k < d; k++) s += book.C[j * d + k]! * y[k]!; score[j] = book.sq[j]! - 2 * s; }
    const near = argsort(score);
    const pair = near[0]! % (M / 2);
    const first = [...seed, pair, pair + M / 2];
    const isFirst = new Uint8Array(M);
    for (const j of first) isFirst[j] = 1;
    const order = Int32Array.from([...new Set(first), ...Array.from(near).filter((j) => !isFirst[j])]);
    const sol: LpSolution = solveByColumns({ m, n: M, A, b, c: book.sq }, order, FIRST_COLUMNS);
    if (sol.status !== "optimal") throw new FedquantError("E_STATE", `delaunay: the decomposition LP ended ${sol.status} (the bucket left the hull)`);
    let yy = 0;
    for (let k = 0; k < d; k++) yy += y[k]! ** 2;
    return { index: sol.basis, lambda: sol.values, inertia: sol.objective - yy };
  }

  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d, M, L } = this;
    const book = this.book(rng);
    const u = kernel().fillUniform(rng, new Float32Array(nb));
    const g = new Float64Array(nb), facets: number[][] = [];
    const x = new Float64Array(d);
    for (let b = 0; b < nb; b++) {
      let nz = false;
      for (let k = 0; k < d; k++) { x[k] = rows[b * d + k]!; nz ||= x[k] !== 0; }
      const r = nz ? this.gauge(book, x) : { g: 0, facet: [] };
      g[b] = r.g; facets.push(r.facet);
    }
    // 1e-9 of headroom so that rounding in the LP cannot leave x/ŝ a hair outside the hull
    const top = g.reduce((a, v) => Math.max(a, v), 0) * (1 + 1e-9);
    const step = top > 0 ? gridStep(top, L + 1, "delaunay") : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      if (g[b] === 0) continue;
      const level = Math.max(1, Math.min(L, Math.ceil((g[b]! * (1 + 1e-9)) / step)));
      const s = level * step;
      for (let k = 0; k < d; k++) x[k] = rows[b * d + k]! / s;
      const { index, lambda } = this.weights(book, x, facets[b]);
      // draw I with probability λ_I (cumulative over the basis, in its order)
      let acc = 0, total = 0, pick = -1, last = -1;
      for (let i = 0; i < index.length; i++) if (index[i]! >= 0) total += lambda[i]!;
      const target = u[b]! * total;
      for (let i = 0; i < index.length; i++) {
        if (index[i]! < 0 || !(lambda[i]! > 0)) continue;
        last = i; acc += lambda[i]!;
        if (acc > target) { pick = i; break; }
      }
      if (pick < 0) pick = last;
      codes[b] = index[pick]! + level * M;
    }
    return { floats: new Float32Array([step]), codes };
  }

  decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array {
    const { d, M } = this;
    const step = checkSideFloat("delaunay", "scale step", c.floats[0]!);
    const index = new Uint32Array(nb), value = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      index[b] = c.codes[b]! % M;
      value[b] = Math.floor(c.codes[b]! / M) * step;
    }
    const rows = this.codewords(rng, index);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) for (let k = 0; k < d; k++) out[b * d + k] = rows[b * d + k]! * value[b]!;
    for (let j = 0; j < out.length; j++) {
      if (!Number.isFinite(out[j]!)) throw new FedquantError("E_DECODE", `delaunay: decoded coordinate ${j} overflows float32 (scale step out of range)`);
    }
    return out;
  }

  /** No closed form for E[ŝ² Σλ‖c‖²] over a random codebook (E1 measures it). */
  omega(): number { return Infinity; }
  delta(): number { return 0; }
}
