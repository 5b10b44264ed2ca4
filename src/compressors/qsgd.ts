// QSGD s-level stochastic quantization (Alistarh et al. 2017; spec/compressors.md "QSGD"):
// C_s(v) = ‖v‖ sign(v) ξ(v)/s per bucket, unbiased with ω = min(B/s², √B/s).
// Payload: the bucket norms (float32), then the signed levels either fixed width
// (⌈log2(s+1)⌉ + 1 bits: magnitude then sign) or Elias coded (runs of zeros, sign, level).
// norm "linf" scales by max|v_i| instead of ‖v‖₂ (a variant: the Artemis/MCM papers'
// Definition 1 and their authors' convex experiments scale by ‖v‖₂): still unbiased, with ω = min(B/(4s²), √B/s) since each coordinate's variance
// (M/s)² θ(1−θ) is at most both (M/s)²/4 and (M/s)|v_i|.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { kernel, qsgdDecodeBytes, qsgdEncodeAt, type QsgdShape } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, concat, expectPayloadBytes, intParam, type Payload } from "./compressor.js";

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
    if (coding !== "fixed" && coding !== "elias") throw new FedquantError("E_CONFIG", `qsgd: coding must be "fixed" or "elias", got ${describeValue(coding)}`);
    const norm = p.norm ?? "l2";
    if (norm !== "l2" && norm !== "linf") throw new FedquantError("E_CONFIG", `qsgd: norm must be "l2" or "linf", got ${describeValue(norm)}`);
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

  protected override readonly kernelChecksFinite = true;

  private shape(dim: number): QsgdShape {
    const { s, norm, coding } = this.params;
    return { n: dim, bucket: this.bucketSize(dim), s, linf: norm === "linf", elias: coding === "elias", width: this.levelBits };
  }

  // The fused kernel (assembly/qsgd.ts), fed x window by window: per bucket the norm rounded UP to float32 (so no
  // r_i = s|v_i|/norm exceeds s — a clamp there would bias the level), stochastic rounding with
  // ⌈len/4⌉ blocks of the stream per bucket (zero buckets too), packing into the payload.
  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const e = qsgdEncodeAt(kernel(), x, this.shape(x.length), rng);
    // a non-finite value anywhere is named first, as the generic check before encoding did
    if (e.nonFiniteBucket !== undefined || e.overflowBucket !== undefined) {
      const bad = kernel().firstNonFinite(x);
      if (bad >= 0) throw this.nonFinite(x, bad);
      if (e.nonFiniteBucket !== undefined) throw new FedquantError("E_STATE", `qsgd: the kernel saw a non-finite value in bucket ${e.nonFiniteBucket} that the input does not hold`);
    }
    if (e.overflowBucket !== undefined) {
      const b = this.bucketSize(x.length), j = e.overflowBucket;
      throw new FedquantError("E_INPUT", `qsgd: the ${this.params.norm} norm of bucket ${j} overflows float32 (values up to ${maxAbs(x.subarray(j * b, (j + 1) * b))}); rescale the input`);
    }
    return e;
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number, _rng?: RandomStream, into?: Float32Array): Float32Array {
    const q = this.shape(dim), nb = Math.ceil(dim / q.bucket);
    if (payload.length < 4 * nb) throw new FedquantError("E_DECODE", `qsgd payload of ${payload.length} bytes cannot hold ${nb} norms`);
    const norms = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + 4 * nb));
    for (let j = 0; j < nb; j++) {
      if (!Number.isFinite(norms[j]!) || norms[j]! < 0) throw new FedquantError("E_DECODE", `qsgd bucket norm ${j} is ${norms[j]}`);
    }
    let bodyBits: number;
    if (q.elias) {
      checkEliasLength(dim);
      bodyBits = bits - 32 * nb;
      if (bodyBits < 0) throw new FedquantError("E_DECODE", `qsgd payload claims ${bits} bits, fewer than its ${nb} norms`);
      expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil(bodyBits / 8));
    } else {
      bodyBits = q.width * dim;
      if (bits !== 32 * nb + bodyBits) throw new FedquantError("E_DECODE", `qsgd payload claims ${bits} bits, expected ${32 * nb + bodyBits}`);
      expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil(bodyBits / 8));
    }
    return qsgdDecodeBytes(kernel(), payload, q, bodyBits, into);
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

/** The Elias coder's length limit (src/kernel/kernel.ts): zero runs within 2^28 coordinates. */
function checkEliasLength(n: number): void {
  if (n > 2 ** 28) throw new FedquantError("E_DIM", `the Elias coder handles 0..2^28 levels, got ${n}`);
}
