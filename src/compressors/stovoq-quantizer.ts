// The StoVoQ per-bucket quantizer (spec/stovoq.md "The quantizer"; Leconte et al. 2021): a fresh
// codebook of M = 2^codebookBits codewords N(0, α² I_d) per message, shared by its buckets, and
// the nearest codeword j* of each bucket. Variants:
//   grvq      Q(x) = c_{j*}                              (biased)           log2 M bits
//   exact     Q(x) = (ρ / r_M(ρ)) c_{j*}, ρ = ‖x‖ sent   (unbiased)         log2 M + 32 bits
//   quantized ρ̂ ∈ {0, Δ, …, (P−1)Δ} by unbiased stochastic rounding of ρ, search x̃ = ρ̂ x/ρ,
//             Q(x) = (ρ̂ / r_M(ρ̂)) c_{j*}             (unbiased, default) log2 M + radiusBits
// Randomness per message, in order: the codebook (first ⌈M·d/4⌉ blocks of the stream, see
// assembly/codebook.ts), then for "quantized" one uniform per bucket (⌈nb/4⌉ blocks). The radius
// grid step Δ = max_b ρ_b/(P − 1) (rounded up in f32) is sent once per message; with
// radiusGrid "minmax" (issue #11) the grid is lo, lo + Δ, …, lo + (P−1)Δ with lo = min_b ρ_b and
// Δ = (max_b ρ_b − lo)/(P − 1), both sent (one more float32 per message; parameter byte 9 = 1).
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { intParam } from "./compressor.js";
import { radialTable, RHO_TOP, tableNodes } from "./radial-bias.js";
import { checkSideFloat, codewordsFor, gridStep, rowNorms, type BucketCodes, type BucketQuantizer } from "./stovoq-buckets.js";

export type StovoqVariant = "quantized" | "exact" | "grvq";
const VARIANTS: StovoqVariant[] = ["quantized", "exact", "grvq"];

export interface StovoqParams {
  /** Bucket dimension d (2..256; grvq also 1). Default 16. */
  d?: number;
  /** log2 M, the codebook size (1..20). Default 13. */
  codebookBits?: number;
  /** log2 P, radius levels of the "quantized" variant (1..12). Default 3. */
  radiusBits?: number;
  /** Codebook scale: codewords N(0, α² I_d). Default 1. */
  alpha?: number;
  /** "quantized" (default), "exact" or "grvq". */
  variant?: StovoqVariant;
  /** Radius grid of "quantized": "zero" (0 … max ρ, default, the original wire layout) or "minmax" (min ρ … max ρ). */
  radiusGrid?: "zero" | "minmax";
}

export class StovoqQuantizer implements BucketQuantizer {
  readonly kind = "stovoq";
  readonly id = 1;
  readonly d: number;
  readonly M: number;
  readonly alpha: number;
  readonly variant: StovoqVariant;
  readonly unbiased: boolean;
  readonly codeBits: number;
  readonly params: Readonly<Required<StovoqParams>>;
  private readonly B: number;
  private readonly P: number;
  /** The grid starts at min ρ (one more side float). */
  private readonly lo: boolean;

  constructor(p: StovoqParams = {}, label = "stovoq") {
    const variant = p.variant ?? "quantized";
    if (!VARIANTS.includes(variant)) throw new FedquantError("E_CONFIG", `${label}: variant must be one of ${VARIANTS.join(", ")}, got ${describeValue(variant)}`);
    const d = intParam("d", label, p.d ?? 16, variant === "grvq" ? 1 : 2, 256);
    const codebookBits = intParam("codebookBits", label, p.codebookBits ?? 13, 1, 20);
    const radiusBits = intParam("radiusBits", label, p.radiusBits ?? 3, 1, 12);
    const alpha = p.alpha ?? 1;
    if (typeof alpha !== "number" || !(alpha > 0) || !Number.isFinite(Math.fround(alpha)) || Math.fround(alpha) === 0) {
      throw new FedquantError("E_CONFIG", `${label}: alpha must be a positive finite float32 number, got ${describeValue(alpha)}`);
    }
    const radiusGrid = p.radiusGrid ?? "zero";
    if (radiusGrid !== "zero" && radiusGrid !== "minmax") throw new FedquantError("E_CONFIG", `${label}: radiusGrid must be "zero" or "minmax", got ${describeValue(radiusGrid)}`);
    this.params = { d, codebookBits, radiusBits, alpha: Math.fround(alpha), variant, radiusGrid };
    this.lo = radiusGrid === "minmax" && variant === "quantized";
    this.d = d; this.B = codebookBits; this.M = 2 ** codebookBits; this.alpha = Math.fround(alpha);
    this.variant = variant; this.P = 2 ** radiusBits;
    this.unbiased = variant !== "grvq";
    this.codeBits = variant === "quantized" ? codebookBits + radiusBits : codebookBits;
  }

  floatCount(nb: number): number { return this.variant === "quantized" ? (this.lo ? 2 : 1) : this.variant === "exact" ? nb : 0; }

  paramBytes(): Uint8Array {
    const out = new Uint8Array(this.lo ? 10 : 9), v = new DataView(out.buffer);
    if (this.lo) out[9] = 1;
    v.setUint16(0, this.d, true); out[2] = this.B; out[3] = Math.log2(this.P); out[4] = VARIANTS.indexOf(this.variant);
    v.setFloat32(5, this.alpha, true);
    return out;
  }

  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d, M } = this;
    const k = kernel();
    if (this.variant === "grvq") return { floats: new Float32Array(0), codes: k.voronoiQuantize(rng, rows, d, M, this.alpha).index };
    const rho = rowNorms(rows, nb, d);
    if (this.variant === "exact") {
      const floats = Float32Array.from(rho);
      if (!floats.every(Number.isFinite)) throw new FedquantError("E_INPUT", "stovoq: a bucket norm overflows float32");
      return { floats, codes: k.voronoiQuantize(rng, rows, d, M, this.alpha).index };
    }
    // quantized radius: codebook blocks first, then one uniform per bucket
    const cb = rng.clone();
    rng.take(Math.ceil((M * d) / 4));
    const u = k.fillUniform(rng, new Float32Array(nb));
    const top = rho.reduce((a, b) => Math.max(a, b), 0);
    const lo = this.lo ? floorF32(rho.reduce((a, b) => Math.min(a, b), Infinity)) : 0;
    const step = top > lo ? gridStep(top - lo, this.P, "stovoq") : 0;
    const level = new Uint32Array(nb);
    const xt = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      if (rho[b] === 0) continue;
      const t = step > 0 ? (rho[b]! - lo) / step : 0, i = Math.floor(t);
      const l = i >= this.P - 1 ? this.P - 1 : i + (u[b]! < t - i ? 1 : 0);
      level[b] = l;
      if (lo + l * step === 0) continue;
      const s = (lo + l * step) / rho[b]!;
      for (let j = b * d; j < b * d + d; j++) xt[j] = rows[j]! * s;
    }
    const { index } = k.voronoiQuantize(cb, xt, d, M, this.alpha);
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) codes[b] = lo + level[b]! * step === 0 ? 0 : index[b]! + level[b]! * M;
    return { floats: new Float32Array(this.lo ? [lo, step] : [step]), codes };
  }

  decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array {
    const { d, M } = this;
    const index = new Uint32Array(nb), factor = new Float64Array(nb);
    if (this.variant === "grvq") {
      index.set(c.codes); factor.fill(1);
    } else if (this.variant === "exact") {
      index.set(c.codes);
      for (let b = 0; b < nb; b++) {
        const rho = checkSideFloat("stovoq", `bucket norm ${b}`, c.floats[b]!);
        factor[b] = rho > 0 ? rho / this.radial(rho) : 0;
      }
    } else {
      const step = checkSideFloat("stovoq", "radius step", c.floats[this.lo ? 1 : 0]!);
      const lo = this.lo ? checkSideFloat("stovoq", "radius floor", c.floats[0]!) : 0;
      const perLevel = new Float64Array(this.P).fill(NaN);
      for (let b = 0; b < nb; b++) {
        const l = Math.floor(c.codes[b]! / M);
        index[b] = c.codes[b]! % M;
        const r = lo + l * step;
        if (Number.isNaN(perLevel[l]!)) perLevel[l] = r === 0 ? 0 : r / this.radial(r);
        factor[b] = perLevel[l]!;
      }
    }
    const rows = codewordsFor(rng, M, d, this.alpha, index, 0);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      const f = factor[b]!;
      for (let j = b * d; j < b * d + d; j++) out[j] = rows[j]! * f;
    }
    for (let j = 0; j < out.length; j++) {
      if (!Number.isFinite(out[j]!)) throw new FedquantError("E_DECODE", `stovoq: decoded coordinate ${j} overflows float32 (norm or step out of range)`);
    }
    return out;
  }

  /** r_M(ρ) for this codebook (α-scaled). */
  radial(rho: number): number { return this.alpha * radialTable(this.d, this.M).at(rho / this.alpha).r; }

  omega(nb: number, D: number, normalized: boolean): number {
    if (!this.unbiased) return Infinity;
    // a tiny bucket still decodes to a codeword of norm ~α (Q is not homogeneous), so no
    // multiplicative bound holds for raw vectors; with DoStoVoQ's scaling ‖x‖² = D it does
    if (!normalized) return Infinity;
    const extra = this.variant === "exact" ? 1 : 1 + Math.sqrt(nb) / (this.P - 1);
    return normalizedOmega(this.d, this.M, D / nb, extra);
  }

  delta(): number { return 0; }
}

const omegaCache = new Map<string, number>();

/**
 * ω for unbiased StoVoQ on a vector with ‖x‖² = D split in nb buckets (τ = D/nb, α = 1 units; ω
 * is scale-free). W(ρ) = E‖Q‖² at radius ρ = (ρ/r(ρ))² s(ρ). For any b′ with W(ρ) ≤ a(b′) + b′ρ²,
 * a(b′) = sup_ρ (W(ρ) − b′ρ²): Σ_b E‖Q_b‖² ≤ nb·a + b′·extra·D, where extra bounds
 * Σ_b E[ρ̂_b²]/D (1 for the exact norm; 1 + √nb/(P−1) for the grid, as Var ρ̂ ≤ ρΔ, Δ ≤ √D/(P−1)
 * and Σ_b ρ_b ≤ √(nb·D)). Unbiasedness gives E‖Q − x‖² = Σ E‖Q_b‖² − D, so
 * ω = min_{b′} a(b′)/τ + b′·extra − 1. The sup runs over the table nodes, their midpoints and
 * far points up to 2^30; a 1% margin covers the grid.
 */
function normalizedOmega(d: number, M: number, tau: number, extra: number): number {
  const key = `${d}:${M}:${tau}:${extra}`;
  const hit = omegaCache.get(key);
  if (hit !== undefined) return hit;
  const tab = radialTable(d, M);
  const nodes = tableNodes(d);
  const pts: number[] = [];
  for (let i = 1; i < nodes.length; i++) pts.push(nodes[i]!, (nodes[i]! + nodes[i - 1]!) / 2);
  for (let v = RHO_TOP * 2; v <= 2 ** 30; v *= 2) pts.push(v);
  const W = pts.map((rho) => { const { r, s2 } = tab.at(rho); return ((rho / r) ** 2) * s2; });
  // ρ → 0: (ρ/r)² → 1/κ², κ = r′(0)
  const eps = 1e-3, at0 = tab.at(eps);
  pts.push(0); W.push(((eps / at0.r) ** 2) * tab.at(0).s2);
  let best = Infinity;
  for (let i = 0; i < pts.length; i++) {
    if (pts[i] === 0) continue;
    const bp = W[i]! / pts[i]! ** 2;
    let a = -Infinity;
    for (let j = 0; j < pts.length; j++) a = Math.max(a, W[j]! - bp * pts[j]! ** 2);
    best = Math.min(best, a / tau + bp * extra - 1);
  }
  const out = 1.01 * best;
  omegaCache.set(key, out);
  return out;
}

/** The largest float32 ≤ v (v ≥ 0): the floor of a radius grid must not sit above any bucket's ρ. */
function floorF32(v: number): number {
  const f = Math.fround(v);
  if (f <= v) return f;
  const b = new Float32Array([f]);
  new Uint32Array(b.buffer)[0]! -= 1;
  return b[0]!;
}
