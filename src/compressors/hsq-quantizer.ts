// HSQ, hyper-sphere quantization (Dai et al. 2019, arXiv 1911.04655; spec/compressors.md "HSQ"),
// as a per-bucket quantizer: a random codebook of M = 2^codebookBits unit vectors in R^d per
// message (the StoVoQ codebook stream with every codeword normalised, assembly/codebook.ts
// CB_UNIT), and one scalar per bucket on an n-bit grid whose step is sent once per message.
//   greedy  j = argmax_j ⟨x, c_j⟩, σ = max(0, ⟨x, c_j⟩) rounded to the nearest of 0, Δ, …, (2^n−1)Δ;
//           Q = σ̂ c_j. Biased; ‖x − Q‖² = ‖x‖² − σ² + (σ̂ − σ)².
//   span    a = Cᵀ(CCᵀ)⁻¹x (the minimum-norm decomposition x = Σ a_j c_j), j drawn with
//           probability |a_j|/‖a‖₁, σ = sign(a_j)‖a‖₁ rounded stochastically (unbiased) on the signed
//           grid −L..L, L = 2^{n−1} − 1; Q = σ̂ c_j. Unbiased; variance grows with ‖a‖₁ (ill-conditioned).
// Randomness per message: the codebook blocks, then (span) two uniforms per bucket. With
// sharedCodebook = k ≥ 1 (Dai et al.'s setting: one fixed codebook for all workers and rounds) the
// codebook is RandomStream.of(k, "codebook") instead, and the message's stream starts at the uniforms.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { CB_UNIT, CB_ZERO_BIAS } from "../kernel/kernel.js";
import { kernel } from "../kernel/index.js";
import { RandomStream } from "../random/index.js";
import { intParam } from "./compressor.js";
import { checkSideFloat, codewordsFor, gridStep, type BucketCodes, type BucketQuantizer } from "./stovoq-buckets.js";

export type HsqVariant = "greedy" | "span";
const VARIANTS: HsqVariant[] = ["greedy", "span"];

export interface HsqParams {
  /** Bucket dimension (1..256). Default 16. */
  d?: number;
  /** log2 M (1..20). Default 10. */
  codebookBits?: number;
  /** Bits of the scalar (greedy 1..16, span 2..16). Default 6. */
  scalarBits?: number;
  /** "greedy" (default) or "span". */
  variant?: HsqVariant;
  /** 0 (default): a fresh codebook per message; k ≥ 1 (or true = 1): the fixed codebook of seed k, shared by every message. */
  sharedCodebook?: number | boolean;
}

export class HsqQuantizer implements BucketQuantizer {
  readonly kind = "hsq";
  readonly id = 2;
  readonly d: number;
  readonly M: number;
  readonly variant: HsqVariant;
  readonly unbiased: boolean;
  readonly codeBits: number;
  readonly params: Readonly<Required<Omit<HsqParams, "sharedCodebook">> & { sharedCodebook: number }>;
  private readonly B: number;
  private readonly n: number;

  constructor(p: HsqParams = {}, label = "hsq") {
    const variant = p.variant ?? "greedy";
    if (!VARIANTS.includes(variant)) throw new FedquantError("E_CONFIG", `${label}: variant must be "greedy" or "span", got ${describeValue(variant)}`);
    const d = intParam("d", label, p.d ?? 16, 1, 256);
    const codebookBits = intParam("codebookBits", label, p.codebookBits ?? 10, 1, 20);
    const scalarBits = intParam("scalarBits", label, p.scalarBits ?? 6, variant === "span" ? 2 : 1, 16);
    if (variant === "span" && 2 ** codebookBits < d) throw new FedquantError("E_CONFIG", `${label}: the span variant needs M = 2^codebookBits ≥ d = ${d} codewords to span R^d`);
    const shared = p.sharedCodebook === true ? 1 : p.sharedCodebook === false || p.sharedCodebook === undefined ? 0 : intParam("sharedCodebook", label, p.sharedCodebook, 0, 2 ** 32 - 1);
    this.params = { d, codebookBits, scalarBits, variant, sharedCodebook: shared };
    this.d = d; this.B = codebookBits; this.M = 2 ** codebookBits; this.n = scalarBits; this.variant = variant;
    this.unbiased = variant === "span";
    this.codeBits = codebookBits + scalarBits;
  }

  floatCount(): number { return 1; }

  paramBytes(): Uint8Array {
    const out = new Uint8Array(this.params.sharedCodebook ? 9 : 5), v = new DataView(out.buffer);
    if (this.params.sharedCodebook) v.setUint32(5, this.params.sharedCodebook, true);
    v.setUint16(0, this.d, true); out[2] = this.B; out[3] = this.n; out[4] = VARIANTS.indexOf(this.variant);
    return out;
  }

  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    return this.variant === "greedy" ? this.encodeGreedy(rows, nb, rng) : this.encodeSpan(rows, nb, rng);
  }

  private encodeGreedy(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { index, score } = kernel().voronoiQuantize(this.book(rng), rows, this.d, this.M, 1, CB_UNIT | CB_ZERO_BIAS);
    const L = 2 ** this.n - 1;
    const top = score.reduce((a, s) => Math.max(a, s), 0);
    const step = top > 0 ? gridStep(top, L + 1, "hsq") : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      const lv = step > 0 && score[b]! > 0 ? Math.min(L, Math.round(score[b]! / step)) : 0;
      codes[b] = index[b]! + lv * this.M;
    }
    return { floats: new Float32Array([step]), codes };
  }

  private encodeSpan(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d, M } = this;
    const C = kernel().codewordRows(this.book(rng), M, d, 1, Uint32Array.from({ length: M }, (_, j) => j), CB_UNIT);
    const u = kernel().fillUniform(rng, new Float32Array(2 * nb));
    const chol = cholesky(gram(C, M, d), d);
    const sigma = new Float64Array(nb), pick = new Uint32Array(nb);
    const a = new Float64Array(M);
    for (let b = 0; b < nb; b++) {
      const y = cholSolve(chol, d, rows.subarray(b * d, b * d + d));
      let l1 = 0;
      for (let j = 0; j < M; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += C[j * d + k]! * y[k]!;
        a[j] = s; l1 += Math.abs(s);
      }
      if (l1 === 0) continue;
      const target = u[2 * b]! * l1;
      let acc = 0, j = 0;
      for (; j < M - 1; j++) { acc += Math.abs(a[j]!); if (acc > target) break; }
      pick[b] = j;
      sigma[b] = a[j]! < 0 ? -l1 : l1;
    }
    const L = 2 ** (this.n - 1) - 1;
    const top = sigma.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    const step = top > 0 ? gridStep(top, L + 1, "hsq") : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      let lv = 0;
      if (step > 0) {
        const t = sigma[b]! / step, f = Math.floor(t);
        lv = Math.max(-L, Math.min(L, f + (u[2 * b + 1]! < t - f ? 1 : 0)));
      }
      codes[b] = pick[b]! + (lv + L) * M;
    }
    return { floats: new Float32Array([step]), codes };
  }

  decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array {
    const { d, M } = this;
    const step = checkSideFloat("hsq", "scalar step", c.floats[0]!);
    const L = this.variant === "greedy" ? 0 : 2 ** (this.n - 1) - 1;
    const index = new Uint32Array(nb), value = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      index[b] = c.codes[b]! % M;
      const lv = Math.floor(c.codes[b]! / M) - L;
      if (this.variant === "span" && lv > L) throw new FedquantError("E_DECODE", `hsq: scalar level ${lv} of bucket ${b} is outside −${L}..${L}`);
      value[b] = lv * step;
    }
    const rows = codewordsFor(this.book(rng), M, d, 1, index, CB_UNIT);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) for (let j = b * d; j < b * d + d; j++) out[j] = rows[j]! * value[b]!;
    for (let j = 0; j < out.length; j++) {
      if (!Number.isFinite(out[j]!)) throw new FedquantError("E_DECODE", `hsq: decoded coordinate ${j} overflows float32 (scalar step out of range)`);
    }
    return out;
  }

  /** The codebook's stream: the message's own, or the shared one (a fresh copy each time). */
  private book(rng: RandomStream): RandomStream {
    return this.params.sharedCodebook ? RandomStream.of(this.params.sharedCodebook, "codebook") : rng;
  }

  /** Span: E‖a‖₁² has no closed form for a random codebook (E1 measures it); greedy is biased. */
  omega(): number { return Infinity; }

  /**
   * Greedy: E‖x_b − σ c‖² = (1 − E[max_j⟨u, c_j⟩₊²])‖x_b‖² for a uniformly random codebook (any
   * unit u), and nearest rounding adds (σ̂ − σ)² ≤ Δ²/4 ≤ ‖x‖²/(4L²) per bucket (Δ ≤ max_b σ_b/L,
   * σ_b ≤ ‖x‖). So δ = δ_M − nb/(4L²), L = 2^n − 1 (0 if negative: no worst-case contraction).
   */
  delta(nb: number): number {
    // a shared codebook is fixed: the expectation over codebooks behind δ_M no longer averages anything
    if (this.unbiased || this.params.sharedCodebook) return 0;
    const L = 2 ** this.n - 1;
    return Math.max(0, maxCosineSquared(this.d, this.M) - (nb / (4 * L * L)) * 1.0001);
  }
}

const cosCache = new Map<string, number>();

/**
 * E[(max_j ⟨u, c_j⟩)₊²] for M i.i.d. uniform unit vectors c_j in R^d: the angle φ of one codeword
 * to u has density ∝ sin^{d−2}φ on [0, π]; the smallest of M angles has survival (1 − A(φ))^M, so
 * the value is ∫₀^{π/2} cos²φ d[1 − (1 − A(φ))^M] (trapezoid on 2^16 cells; d = 1: ±1 codewords).
 */
export function maxCosineSquared(d: number, M: number): number {
  const key = `${d}:${M}`;
  const hit = cosCache.get(key);
  if (hit !== undefined) return hit;
  let out: number;
  if (d === 1) out = 1 - 0.5 ** M;
  else {
    const n = 1 << 16, h = Math.PI / n;
    const A = new Float64Array(n + 1);
    const f = (phi: number) => (d === 2 ? 1 : Math.sin(phi) ** (d - 2));
    for (let i = 1; i <= n; i++) A[i] = A[i - 1]! + (h / 2) * (f((i - 1) * h) + f(i * h));
    const Z = A[n]!;
    out = 0;
    let prev = 1; // P(min angle > 0)
    for (let i = 1; i <= n / 2; i++) {
      const surv = Math.pow(1 - A[i]! / Z, M);
      const c = Math.cos((i - 0.5) * h);
      out += c * c * (prev - surv);
      prev = surv;
    }
  }
  cosCache.set(key, out);
  return out;
}

function gram(C: Float32Array, M: number, d: number): Float64Array {
  const G = new Float64Array(d * d);
  for (let j = 0; j < M; j++) {
    for (let r = 0; r < d; r++) {
      const cr = C[j * d + r]!;
      for (let s = 0; s <= r; s++) G[r * d + s] += cr * C[j * d + s]!;
    }
  }
  for (let r = 0; r < d; r++) for (let s = 0; s < r; s++) G[s * d + r] = G[r * d + s]!;
  return G;
}

/** Lower Cholesky factor of an SPD d × d matrix (row-major); E_STATE if it is numerically singular. */
function cholesky(G: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 1e-12 * G[i * d + i]!)) throw new FedquantError("E_STATE", "hsq span: the random codebook is numerically rank-deficient (use more codewords)");
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  return L;
}

/** y = (L Lᵀ)⁻¹ x. */
function cholSolve(L: Float64Array, d: number, x: Float32Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  return y;
}
