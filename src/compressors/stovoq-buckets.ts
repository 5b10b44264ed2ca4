// Per-bucket quantizers (spec/stovoq.md "DoStoVoQ: large vectors"; Leconte et al. 2021): a
// vector is cut into ⌈D/d⌉ buckets of d coordinates (the last one zero-padded) and one quantizer
// encodes all buckets of a message with one shared random codebook. This file holds the
// interface any quantizer implements (StoVoQ, HSQ, the E1 baselines), the payload frame they
// share and a base class for compressors that quantize raw buckets (stovoq, hsq).
//
// Payload frame: [side floats: float32 LE, count fixed by (quantizer, nb)] [one code per bucket,
// `codeBits` wide, bit-packed LSB-first]. Exact bits = 32·floats + nb·codeBits (no padding inside).
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, expectPayloadBytes, type Payload } from "./compressor.js";
import { nextUpF32 } from "./f32.js";

/** What one message of nb buckets encodes to: side floats and one fixed-width code per bucket. */
export interface BucketCodes { floats: Float32Array; codes: Uint32Array }

export interface BucketQuantizer {
  /** "stovoq", "hsq", … */
  readonly kind: string;
  /** u8 id in the header of a wrapping compressor (DoStoVoQ); 0 = not on the wire. */
  readonly id: number;
  /** Bucket dimension. */
  readonly d: number;
  readonly unbiased: boolean;
  readonly params: Readonly<Record<string, number | string>>;
  /** Bits of one bucket's code (0..32). */
  readonly codeBits: number;
  /** Side floats per message of nb buckets. */
  floatCount(nb: number): number;
  /** The parameters as bytes, for headers (a receiver must hold the same). */
  paramBytes(): Uint8Array;
  /** Encode nb rows of d finite f32 (row-major); draws the message's randomness from rng. */
  encode(buckets: Float32Array, nb: number, rng: RandomStream): BucketCodes;
  /** Decode untrusted codes (FedquantError E_DECODE on anything invalid) into nb rows; rng as at encode. */
  decode(c: BucketCodes, nb: number, rng: RandomStream): Float32Array;
  /**
   * Bound on E‖Q(x) − x‖² / ‖x‖² for unbiased quantizers, for a message of nb buckets and
   * dimension D; `normalized` promises ‖x‖² = D (DoStoVoQ's scaling). Infinity if none holds.
   */
  omega(nb: number, D: number, normalized: boolean): number;
  /** δ with E‖Q(x) − x‖² ≤ (1 − δ)‖x‖² for biased quantizers (0 if none holds). */
  delta(nb: number, D: number): number;
}

/** Payload of a message: the side floats then the packed codes. */
export function writeBuckets(q: BucketQuantizer, c: BucketCodes, nb: number): Payload {
  if (c.floats.length !== q.floatCount(nb) || c.codes.length !== nb) {
    throw new FedquantError("E_STATE", `${q.kind}: the encoder produced ${c.floats.length} floats and ${c.codes.length} codes for ${nb} buckets, expected ${q.floatCount(nb)} and ${nb}`);
  }
  const fb = new Uint8Array(c.floats.buffer.slice(c.floats.byteOffset, c.floats.byteOffset + c.floats.byteLength));
  const packed = q.codeBits > 0 && nb > 0 ? kernel().packFixed(c.codes, q.codeBits) : new Uint8Array(0);
  const bytes = new Uint8Array(fb.length + packed.length);
  bytes.set(fb); bytes.set(packed, fb.length);
  return { bytes, bits: 32 * c.floats.length + nb * q.codeBits };
}

/** Parse a payload written by writeBuckets, checking its exact length; floats are not yet validated. */
export function readBuckets(q: BucketQuantizer, payload: Uint8Array, bits: number, nb: number, what: string): BucketCodes {
  const nf = q.floatCount(nb);
  const expect = 32 * nf + nb * q.codeBits;
  if (bits !== expect) throw new FedquantError("E_DECODE", `${what} payload claims ${bits} bits, expected ${expect} for ${nb} buckets`);
  expectPayloadBytes(what, payload, 4 * nf + Math.ceil((nb * q.codeBits) / 8));
  const floats = new Float32Array(payload.slice(0, 4 * nf).buffer);
  const codes = q.codeBits > 0 ? kernel().unpackFixed(payload.subarray(4 * nf), nb, q.codeBits) : new Uint32Array(nb);
  return { floats, codes };
}

/** Bucket count and the zero-padded nb × d matrix of x. */
export function toBuckets(x: Float32Array, d: number): { nb: number; rows: Float32Array } {
  const nb = Math.ceil(x.length / d);
  if (x.length === nb * d) return { nb, rows: x };
  const rows = new Float32Array(nb * d);
  rows.set(x);
  return { nb, rows };
}

/** ‖row b‖ for every bucket, accumulated in f64. */
export function rowNorms(rows: Float32Array, nb: number, d: number): Float64Array {
  const out = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let k = b * d; k < b * d + d; k++) s += rows[k]! * rows[k]!;
    out[b] = Math.sqrt(s);
  }
  return out;
}

/** A float32 side value that must be finite and ≥ 0 (norms, steps, scales). */
export function checkSideFloat(what: string, name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new FedquantError("E_DECODE", `${what}: ${name} must be a finite non-negative float32, found ${v}`);
  return v;
}

/** Smallest f32 step Δ with (levels − 1)·Δ ≥ top in f64, so a grid 0, Δ, …, (levels−1)Δ covers top. */
export function gridStep(top: number, levels: number, what: string): number {
  let step = Math.fround(top / (levels - 1));
  if (!Number.isFinite(step)) throw new FedquantError("E_INPUT", `${what}: a bucket norm of ${top} overflows the float32 grid`);
  while (step * (levels - 1) < top) step = nextUpF32(step);
  return step;
}

/** Codewords for the (possibly repeated) indices, regenerating each distinct one once. */
export function codewordsFor(rng: RandomStream, M: number, d: number, alpha: number, indices: Uint32Array, mode: number): Float32Array {
  const seen = new Map<number, number>();
  const uniq: number[] = [];
  const slot = new Uint32Array(indices.length);
  indices.forEach((j, t) => {
    let s = seen.get(j);
    if (s === undefined) { s = uniq.length; seen.set(j, s); uniq.push(j); }
    slot[t] = s;
  });
  const rows = kernel().codewordRows(rng, M, d, alpha, Uint32Array.from(uniq), mode);
  const out = new Float32Array(indices.length * d);
  for (let t = 0; t < indices.length; t++) out.set(rows.subarray(slot[t]! * d, slot[t]! * d + d), t * d);
  return out;
}

/**
 * A compressor that quantizes the raw buckets of x (no normalisation) with one quantizer; the
 * header carries the quantizer's parameters. Subclasses fix name, id and the quantizer.
 */
export abstract class BucketCompressor<Q extends BucketQuantizer = BucketQuantizer> extends BaseCompressor {
  // the header's parameter bytes are the quantizer's (paramBytes below)
  protected readonly wireParams = {} as const;
  readonly unbiased: boolean;
  readonly params: Q["params"];

  constructor(readonly quantizer: Q) {
    super();
    this.params = quantizer.params;
    this.unbiased = quantizer.unbiased;
  }
  omega(dim: number): number { return this.quantizer.omega(Math.ceil(dim / this.quantizer.d), dim, false); }
  override delta(dim: number): number { return this.quantizer.delta(Math.ceil(dim / this.quantizer.d), dim); }

  protected override paramBytes(): Uint8Array { return this.quantizer.paramBytes(); }

  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const { nb, rows } = toBuckets(x, this.quantizer.d);
    return writeBuckets(this.quantizer, this.quantizer.encode(rows, nb, rng), nb);
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number, rng: RandomStream): Float32Array {
    const nb = Math.ceil(dim / this.quantizer.d);
    const rows = this.quantizer.decode(readBuckets(this.quantizer, payload, bits, nb, this.name), nb, rng);
    return rows.length === dim ? rows : rows.slice(0, dim);
  }
}
