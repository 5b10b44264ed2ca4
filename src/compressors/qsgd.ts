// QSGD s-level stochastic quantization (Alistarh et al. 2017; spec/compressors.md "QSGD"):
// C_s(v) = ‖v‖ sign(v) ξ(v)/s per bucket, unbiased with ω = min(B/s², √B/s).
// Payload: the bucket norms (float32), then the signed levels either fixed width
// (⌈log2(s+1)⌉ + 1 bits: magnitude then sign) or Elias coded (runs of zeros, sign, level).
// norm "linf" scales by max|v_i| instead of ‖v‖₂ (a variant: the Artemis/MCM papers'
// Definition 1 and their authors' convex experiments scale by ‖v‖₂): still unbiased, with ω = min(B/(4s²), √B/s) since each coordinate's variance
// (M/s)² θ(1−θ) is at most both (M/s)²/4 and (M/s)|v_i|.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, concat, expectPayloadBytes, intParam, type Payload } from "./compressor.js";
import { roundUpF32 } from "./f32.js";

export interface QsgdParams {
  /** Number of levels s ≥ 1. */
  s?: number;
  /** Bucket size B (0 = the whole vector, one norm). */
  bucket?: number;
  /** "fixed" width levels or QSGD's "elias" coding. */
  coding?: "fixed" | "elias";
  /** the scale of each bucket: "l2" = ‖v‖₂ (QSGD, default) or "linf" = max |v_i| */
  norm?: "l2" | "linf";
}

export class Qsgd extends BaseCompressor {
  readonly name = "qsgd";
  readonly id = 1;
  readonly unbiased = true;
  readonly params: Required<QsgdParams>;
  protected readonly wireParams = { s: "u32", bucket: "u32", codingId: "u8", normId: "u8" } as const;
  private readonly levelBits: number;

  constructor(p: QsgdParams = {}) {
    super();
    const s = intParam("s", "qsgd", p.s ?? 1, 1, 2 ** 24);
    const bucket = intParam("bucket", "qsgd", p.bucket ?? 0, 0, 2 ** 28);
    const coding = p.coding ?? "fixed";
    if (coding !== "fixed" && coding !== "elias") throw new FedquantError("E_CONFIG", `qsgd: coding must be "fixed" or "elias", got ${String(coding)}`);
    const norm = p.norm ?? "l2";
    if (norm !== "l2" && norm !== "linf") throw new FedquantError("E_CONFIG", `qsgd: norm must be "l2" or "linf", got ${String(norm)}`);
    this.params = { s, bucket, coding, norm };
    this.levelBits = Math.ceil(Math.log2(s + 1)) + 1;
  }

  // the header carries coding as a number
  protected override paramBytes(): Uint8Array {
    return paramBytesOf(this.params.s, this.params.bucket, this.params.coding === "elias" ? 1 : 0, this.params.norm === "linf" ? 1 : 0);
  }

  private bucketSize(dim: number): number { return this.params.bucket === 0 ? dim : Math.min(this.params.bucket, dim); }

  omega(dim: number): number {
    const b = this.bucketSize(dim), s = this.params.s;
    return Math.min(b / ((this.params.norm === "linf" ? 4 : 1) * s * s), Math.sqrt(b) / s);
  }

  /** The papers' bound on the Elias-coded size of one bucket with its norm (spec/compressors.md); valid for s ≤ √(B/2 − √B). */
  eliasBoundBits(dim: number): number {
    const b = this.bucketSize(dim), s = this.params.s;
    return (3 + 1.5 * Math.log2((2 * (s * s + b)) / (s * (s + Math.sqrt(b))))) * s * (s + Math.sqrt(b)) + 32;
  }

  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const k = kernel();
    const dim = x.length, b = this.bucketSize(dim), nb = Math.ceil(dim / b), s = this.params.s;
    const norms = new Float32Array(nb);
    const levels = new Int32Array(dim);
    for (let j = 0; j < nb; j++) {
      const seg = x.subarray(j * b, Math.min(dim, (j + 1) * b));
      // rounded up, so that no r_i = s|v_i|/norm exceeds s (a clamp there would bias the level)
      norms[j] = roundUpF32(this.params.norm === "linf" ? maxAbs(seg) : k.norm2(seg));
      if (norms[j] === Infinity) throw new FedquantError("E_INPUT", `qsgd: the ${this.params.norm} norm of bucket ${j} overflows float32 (values up to ${maxAbs(seg)}); rescale the input`);
      // each bucket draws its uniforms from the stream in order, so the whole vector uses ⌈·/4⌉ blocks per bucket
      if (norms[j] === 0) {
        rng.take(Math.ceil(seg.length / 4));
        continue;
      }
      levels.set(this.round(seg, norms[j]!, rng), j * b);
    }
    const normBytes = new Uint8Array(norms.buffer);
    if (this.params.coding === "elias") {
      const e = k.qsgdEliasEncode(levels);
      return { bytes: concat(normBytes, e.bytes), bits: 32 * nb + e.bits };
    }
    const w = this.levelBits;
    const fields = new Uint32Array(dim);
    for (let i = 0; i < dim; i++) fields[i] = (Math.abs(levels[i]!) << 1) | (levels[i]! < 0 ? 1 : 0);
    return { bytes: concat(normBytes, k.packFixed(fields, w)), bits: 32 * nb + w * dim };
  }

  /**
   * Signed levels of one bucket with scale `norm` > 0: ξ_i from r_i = s|v_i|/norm. The kernel
   * takes the f32 factor s/norm, which overflows for norms below s/FLT_MAX (subnormal buckets);
   * there both are scaled by 2^100 first — exact in f32 — so the r_i stay the same numbers.
   */
  private round(seg: Float32Array, norm: number, rng: RandomStream): Int32Array {
    const s = this.params.s;
    if (Number.isFinite(Math.fround(s / norm))) return kernel().qsgdRound(seg, s / norm, s, rng);
    const up = seg.map((v) => v * 2 ** 100);
    return kernel().qsgdRound(up, s / (norm * 2 ** 100), s, rng);
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number): Float32Array {
    const k = kernel();
    const b = this.bucketSize(dim), nb = Math.ceil(dim / b), s = this.params.s;
    if (payload.length < 4 * nb) throw new FedquantError("E_DECODE", `qsgd payload of ${payload.length} bytes cannot hold ${nb} norms`);
    const norms = new Float32Array(payload.slice(0, 4 * nb).buffer);
    for (let j = 0; j < nb; j++) {
      if (!Number.isFinite(norms[j]!) || norms[j]! < 0) throw new FedquantError("E_DECODE", `qsgd bucket norm ${j} is ${norms[j]}`);
    }
    const body = payload.subarray(4 * nb);
    let levels: Int32Array;
    if (this.params.coding === "elias") {
      const eb = bits - 32 * nb;
      if (eb < 0) throw new FedquantError("E_DECODE", `qsgd payload claims ${bits} bits, fewer than its ${nb} norms`);
      expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil(eb / 8));
      levels = k.qsgdEliasDecode(body, eb, dim, s);
    } else {
      const w = this.levelBits;
      if (bits !== 32 * nb + w * dim) throw new FedquantError("E_DECODE", `qsgd payload claims ${bits} bits, expected ${32 * nb + w * dim}`);
      expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil((w * dim) / 8));
      const fields = k.unpackFixed(body, dim, w);
      levels = new Int32Array(dim);
      for (let i = 0; i < dim; i++) {
        const mag = fields[i]! >>> 1;
        if (mag > s) throw new FedquantError("E_DECODE", `qsgd level ${mag} at ${i} exceeds s = ${s}`);
        levels[i] = fields[i]! & 1 ? -mag : mag;
      }
    }
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) out[i] = (norms[Math.floor(i / b)]! * levels[i]!) / s;
    return out;
  }
}

function paramBytesOf(s: number, bucket: number, coding: number, norm: number): Uint8Array {
  const out = new Uint8Array(10);
  const v = new DataView(out.buffer);
  v.setUint32(0, s, true); v.setUint32(4, bucket, true); out[8] = coding; out[9] = norm;
  return out;
}

function maxAbs(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) { const a = Math.abs(x[i]!); if (a > m) m = a; }
  return m;
}
