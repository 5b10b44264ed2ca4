// Per-bucket baselines of experiment E1 (experiments.md, spec/compressors.md), at the bit split of
// the E1 table, as BucketQuantizers (so they go through the same wire frame, and could be plugged
// into DoStoVoQ). The registered compressors send float32 norms/values per vector; E1 needs
// quantized ones, so these variants live here. Every scalar grid is per message: its top (a
// float32) is sent once and amortised over the message's buckets.
//   sign-q      16 sign bits + the ℓ1 scale ‖x‖₁/d on a `scaleBits` grid (nearest; biased) — the
//               scale minimising ‖x − a·sign(x)‖²; or (scaleNorm "l2") ‖x‖₂/√d, the paper's
//   topk-q      k × (⌈log2 d⌉-bit index + `valueBits`-bit value, symmetric grid, nearest; biased)
//   randk-q     k coordinates drawn from the seed (not sent) × d/k, `valueBits`-bit values,
//               stochastic rounding (unbiased)
//   cp-q        cross-polytope (vqSGD): `draws` vertices of ±√d e_i, ⌈log2 2d⌉ bits each, + the
//               norm on a `normBits` grid, stochastic (unbiased)
//   qsgd-q      QSGD s = 1: ternary levels packed in base 3 (⌈d·log2 3⌉ bits) + the norm on a
//               `normBits` grid, stochastic (unbiased)
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { bitsFor } from "../wire/index.js";
import { checkSideFloat, gridStep, rowNorms, type BucketCodes, type BucketQuantizer } from "../compressors/stovoq-buckets.js";

abstract class Baseline implements BucketQuantizer {
  abstract readonly kind: string;
  readonly id = 0; // experiment-only: not on any wire registry
  abstract readonly unbiased: boolean;
  abstract readonly codeBits: number;
  abstract readonly params: Readonly<Record<string, number | string>>;
  constructor(readonly d: number) {}
  floatCount(): number { return 1; }
  paramBytes(): Uint8Array { return new TextEncoder().encode(JSON.stringify([this.kind, this.params])); }
  abstract encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes;
  abstract decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array;
  omega(): number { return Infinity; }
  delta(): number { return 0; }
}

/** Nearest level of the grid 0, step, …, top·step for v ≥ 0. */
const nearest = (v: number, step: number, top: number) => (step > 0 ? Math.min(top, Math.round(v / step)) : 0);
/** Unbiased stochastic rounding of v/step ∈ [lo, hi] to an integer level. */
const stochastic = (v: number, step: number, u: number, lo: number, hi: number) => {
  if (!(step > 0)) return 0;
  const t = v / step, f = Math.floor(t);
  return Math.max(lo, Math.min(hi, f + (u < t - f ? 1 : 0)));
};

export class SignQuantizer extends Baseline {
  readonly kind = "sign-q"; readonly unbiased = false;
  readonly codeBits: number; readonly params;
  constructor(d: number, readonly scaleBits = 4, readonly scaleNorm: "l1" | "l2" = "l1") {
    super(d);
    if (d + scaleBits > 32) throw new FedquantError("E_CONFIG", `sign-q: d + scaleBits must be ≤ 32, got ${d + scaleBits}`);
    this.codeBits = d + scaleBits; this.params = { d, scaleBits, scaleNorm };
  }
  encode(rows: Float32Array, nb: number): BucketCodes {
    const { d } = this, L = 2 ** this.scaleBits - 1;
    const scale = new Float64Array(nb);
    const l2 = this.scaleNorm === "l2";
    for (let b = 0; b < nb; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += l2 ? rows[b * d + k]! ** 2 : Math.abs(rows[b * d + k]!);
      scale[b] = l2 ? Math.sqrt(s / d) : s / d;
    }
    const top = scale.reduce((a, v) => Math.max(a, v), 0);
    const step = top > 0 ? gridStep(top, L + 1, this.kind) : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      let bits = 0;
      for (let k = 0; k < d; k++) if (rows[b * d + k]! < 0) bits |= 1 << k;
      codes[b] = (bits >>> 0) + nearest(scale[b]!, step, L) * 2 ** d;
    }
    return { floats: new Float32Array([step]), codes };
  }
  decode(c: BucketCodes, nb: number): Float32Array {
    const { d } = this, step = checkSideFloat(this.kind, "step", c.floats[0]!);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      const v = Math.floor(c.codes[b]! / 2 ** d) * step, bits = c.codes[b]! % 2 ** d;
      for (let k = 0; k < d; k++) out[b * d + k] = (bits >>> k) & 1 ? -v : v;
    }
    return out;
  }
}

export class TopKQuantizer extends Baseline {
  readonly kind = "topk-q"; readonly unbiased = false;
  readonly codeBits: number; readonly params;
  private readonly ib: number;
  constructor(d: number, readonly k = 2, readonly valueBits = 4) {
    super(d);
    this.ib = bitsFor(d);
    this.codeBits = k * (this.ib + valueBits);
    if (this.codeBits > 32 || k > d) throw new FedquantError("E_CONFIG", `topk-q: k·(⌈log2 d⌉ + valueBits) must be ≤ 32 and k ≤ d`);
    this.params = { d, k, valueBits };
  }
  encode(rows: Float32Array, nb: number): BucketCodes {
    const { d, k } = this, L = 2 ** (this.valueBits - 1) - 1; // symmetric levels −L..L
    const pick: number[][] = [];
    let top = 0;
    for (let b = 0; b < nb; b++) {
      const idx = Array.from({ length: d }, (_, i) => i).sort((p, q) => Math.abs(rows[b * d + q]!) - Math.abs(rows[b * d + p]!) || p - q).slice(0, k);
      pick.push(idx);
      for (const i of idx) top = Math.max(top, Math.abs(rows[b * d + i]!));
    }
    const step = top > 0 ? gridStep(top, L + 1, this.kind) : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      let code = 0, shift = 1;
      for (const i of pick[b]!) {
        const v = rows[b * d + i]!, lv = Math.sign(v) * nearest(Math.abs(v), step, L);
        code += (i + (lv + L) * 2 ** this.ib) * shift;
        shift *= 2 ** (this.ib + this.valueBits);
      }
      codes[b] = code;
    }
    return { floats: new Float32Array([step]), codes };
  }
  decode(c: BucketCodes, nb: number): Float32Array {
    const { d, k } = this, L = 2 ** (this.valueBits - 1) - 1, step = checkSideFloat(this.kind, "step", c.floats[0]!);
    const field = 2 ** (this.ib + this.valueBits);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      let code = c.codes[b]!;
      for (let j = 0; j < k; j++) {
        const f = code % field; code = Math.floor(code / field);
        const i = f % 2 ** this.ib, lv = Math.floor(f / 2 ** this.ib) - L;
        if (i >= d || lv > L) throw new FedquantError("E_DECODE", `topk-q: bad field in bucket ${b}`);
        out[b * d + i] = lv * step;
      }
    }
    return out;
  }
}

export class RandKQuantizer extends Baseline {
  readonly kind = "randk-q"; readonly unbiased = true;
  readonly codeBits: number; readonly params;
  constructor(d: number, readonly k = 2, readonly valueBits = 8) {
    super(d);
    if (k * valueBits > 32 || k > d || valueBits < 2) throw new FedquantError("E_CONFIG", "randk-q: k·valueBits must be ≤ 32, 2 ≤ valueBits, k ≤ d");
    this.codeBits = k * valueBits; this.params = { d, k, valueBits };
  }
  // coordinates come from the stream first (the receiver replays them), then the rounding uniforms
  private coords(nb: number, rng: RandomStream): Uint32Array[] {
    return Array.from({ length: nb }, () => rng.sampleWithoutReplacement(this.d, this.k));
  }
  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d, k } = this, L = 2 ** (this.valueBits - 1) - 1, scale = d / k;
    const pick = this.coords(nb, rng);
    const u = kernel().fillUniform(rng, new Float32Array(nb * k));
    let top = 0;
    for (let b = 0; b < nb; b++) for (const i of pick[b]!) top = Math.max(top, Math.abs(rows[b * d + i]!) * scale);
    const step = top > 0 ? gridStep(top, L + 1, this.kind) : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      let code = 0, shift = 1;
      pick[b]!.forEach((i, j) => {
        code += (stochastic(rows[b * d + i]! * scale, step, u[b * k + j]!, -L, L) + L) * shift;
        shift *= 2 ** this.valueBits;
      });
      codes[b] = code;
    }
    return { floats: new Float32Array([step]), codes };
  }
  decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array {
    const { d } = this, L = 2 ** (this.valueBits - 1) - 1, step = checkSideFloat(this.kind, "step", c.floats[0]!);
    const pick = this.coords(nb, rng);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      let code = c.codes[b]!;
      for (const i of pick[b]!) {
        const lv = (code % 2 ** this.valueBits) - L; code = Math.floor(code / 2 ** this.valueBits);
        if (lv > L) throw new FedquantError("E_DECODE", `randk-q: level out of range in bucket ${b}`);
        out[b * d + i] = lv * step;
      }
    }
    return out;
  }
}

export class CrossPolytopeQuantizer extends Baseline {
  readonly kind = "cp-q"; readonly unbiased = true;
  readonly codeBits: number; readonly params;
  private readonly vb: number;
  constructor(d: number, readonly draws = 2, readonly normBits = 6) {
    super(d);
    this.vb = bitsFor(2 * d);
    this.codeBits = draws * this.vb + normBits;
    if (this.codeBits > 32) throw new FedquantError("E_CONFIG", "cp-q: draws·⌈log2 2d⌉ + normBits must be ≤ 32");
    this.params = { d, draws, normBits };
  }
  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d, draws } = this, L = 2 ** this.normBits - 1, sq = Math.sqrt(d);
    const u = kernel().fillUniform(rng, new Float32Array(nb * (draws + 1)));
    const rho = rowNorms(rows, nb, d);
    const top = rho.reduce((a, v) => Math.max(a, v), 0);
    const step = top > 0 ? gridStep(top, L + 1, this.kind) : 0;
    const codes = new Uint32Array(nb);
    const cdf = new Float64Array(2 * d);
    for (let b = 0; b < nb; b++) {
      let code = 0, shift = 1;
      if (rho[b]! > 0) {
        let l1 = 0;
        for (let i = 0; i < d; i++) l1 += Math.abs(rows[b * d + i]!) / rho[b]!;
        const rest = Math.max(0, 1 - l1 / sq) / (2 * d);
        let acc = 0;
        for (let i = 0; i < d; i++) {
          const x = rows[b * d + i]!, w = Math.abs(x) / rho[b]! / sq;
          acc += (x >= 0 ? w : 0) + rest; cdf[2 * i] = acc;
          acc += (x < 0 ? w : 0) + rest; cdf[2 * i + 1] = acc;
        }
        for (let j = 0; j < draws; j++) {
          const v = u[b * (draws + 1) + j]! * acc;
          let lo = 0, hi = 2 * d - 1;
          while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! > v) hi = mid; else lo = mid + 1; }
          code += lo * shift; shift *= 2 ** this.vb;
        }
      } else shift = 2 ** (this.vb * draws);
      codes[b] = code + stochastic(rho[b]!, step, u[b * (draws + 1) + draws]!, 0, L) * shift;
    }
    return { floats: new Float32Array([step]), codes };
  }
  decode(c: BucketCodes, nb: number): Float32Array {
    const { d, draws } = this, step = checkSideFloat(this.kind, "step", c.floats[0]!), sq = Math.sqrt(d);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      let code = c.codes[b]!;
      const verts: number[] = [];
      for (let j = 0; j < draws; j++) { verts.push(code % 2 ** this.vb); code = Math.floor(code / 2 ** this.vb); }
      const rho = code * step;
      for (const v of verts) {
        if (v >= 2 * d) throw new FedquantError("E_DECODE", `cp-q: vertex ${v} out of range`);
        out[b * d + (v >> 1)] += ((v & 1 ? -1 : 1) * rho * sq) / draws;
      }
    }
    return out;
  }
}

export class QsgdTernaryQuantizer extends Baseline {
  readonly kind = "qsgd-q"; readonly unbiased = true;
  readonly codeBits: number; readonly params;
  private readonly lb: number;
  constructor(d: number, readonly normBits = 6) {
    super(d);
    this.lb = Math.ceil(d * Math.log2(3));
    this.codeBits = this.lb + normBits;
    if (this.codeBits > 32) throw new FedquantError("E_CONFIG", "qsgd-q: ⌈d·log2 3⌉ + normBits must be ≤ 32 (d ≤ 16 with 6 norm bits)");
    this.params = { d, normBits };
  }
  encode(rows: Float32Array, nb: number, rng: RandomStream): BucketCodes {
    const { d } = this, L = 2 ** this.normBits - 1;
    const u = kernel().fillUniform(rng, new Float32Array(nb * (d + 1)));
    const rho = rowNorms(rows, nb, d);
    const top = rho.reduce((a, v) => Math.max(a, v), 0);
    const step = top > 0 ? gridStep(top, L + 1, this.kind) : 0;
    const codes = new Uint32Array(nb);
    for (let b = 0; b < nb; b++) {
      let t = 0;
      for (let i = d - 1; i >= 0; i--) {
        const x = rows[b * d + i]!;
        const xi = rho[b]! > 0 && u[b * (d + 1) + i]! < Math.abs(x) / rho[b]! ? Math.sign(x) : 0;
        t = t * 3 + (xi + 1);
      }
      codes[b] = t + stochastic(rho[b]!, step, u[b * (d + 1) + d]!, 0, L) * 2 ** this.lb;
    }
    return { floats: new Float32Array([step]), codes };
  }
  decode(c: BucketCodes, nb: number): Float32Array {
    const { d } = this, step = checkSideFloat(this.kind, "step", c.floats[0]!);
    const out = new Float32Array(nb * d);
    for (let b = 0; b < nb; b++) {
      let t = c.codes[b]! % 2 ** this.lb;
      const rho = Math.floor(c.codes[b]! / 2 ** this.lb) * step;
      for (let i = 0; i < d; i++) { out[b * d + i] = ((t % 3) - 1) * rho; t = Math.floor(t / 3); }
      if (t !== 0) throw new FedquantError("E_DECODE", `qsgd-q: ternary code of bucket ${b} is out of range`);
    }
    return out;
  }
}
