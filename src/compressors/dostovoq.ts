// DoStoVoQ (spec/stovoq.md "DoStoVoQ: large vectors"; Leconte et al. 2021): g̃ = g·√D/‖g‖ so
// buckets have E‖g̃_b‖² ≈ d, cut into ⌈D/d⌉ buckets (the last zero-padded), all quantized with one
// codebook per message by a per-bucket quantizer (StoVoQ by default; HSQ or any BucketQuantizer
// can be plugged in); the receiver decodes and multiplies by ‖g‖/√D.
// Wire: header parameters = quantizer id (u8) + the quantizer's parameters; payload = ‖g‖ as
// float32, then (if ‖g‖ > 0) the quantizer's frame (stovoq-buckets.ts). Bits: 32 + 32·floats + nb·codeBits.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, expectPayloadBytes, type Payload } from "./compressor.js";
import { HsqQuantizer, type HsqParams } from "./hsq-quantizer.js";
import { checkSideFloat, readBuckets, writeBuckets, type BucketQuantizer } from "./stovoq-buckets.js";
import { StovoqQuantizer, type StovoqParams } from "./stovoq-quantizer.js";

export type DostovoqParams =
  | ({ quantizer?: "stovoq" } & StovoqParams)
  | ({ quantizer: "hsq" } & HsqParams)
  | { quantizer: BucketQuantizer };

export class Dostovoq extends BaseCompressor {
  readonly name = "dostovoq";
  readonly id = 7;
  readonly unbiased: boolean;
  readonly quantizer: BucketQuantizer;
  readonly params: Readonly<Record<string, number | string>>;
  // the header's parameter bytes are built in paramBytes below
  protected readonly wireParams = {} as const;

  constructor(p: DostovoqParams = {}) {
    super();
    const q = p.quantizer ?? "stovoq";
    if (q === "stovoq") this.quantizer = new StovoqQuantizer(p as StovoqParams, "dostovoq");
    else if (q === "hsq") this.quantizer = new HsqQuantizer(p as HsqParams, "dostovoq");
    else if (typeof q === "object" && q !== null && typeof (q as BucketQuantizer).encode === "function") this.quantizer = q as BucketQuantizer;
    else throw new FedquantError("E_CONFIG", `dostovoq: quantizer must be "stovoq" or "hsq" (a string) or a BucketQuantizer, got ${describeValue(q)}`);
    if (this.quantizer.id < 0 || this.quantizer.id > 255) throw new FedquantError("E_CONFIG", `dostovoq: quantizer id must be a u8, got ${this.quantizer.id}`);
    this.params = { quantizer: this.quantizer.kind, ...this.quantizer.params };
    this.unbiased = this.quantizer.unbiased;
  }

  protected override paramBytes(): Uint8Array {
    const inner = this.quantizer.paramBytes();
    const out = new Uint8Array(1 + inner.length);
    out[0] = this.quantizer.id; out.set(inner, 1);
    return out;
  }

  omega(dim: number): number { return this.quantizer.omega(Math.ceil(dim / this.quantizer.d), dim, true); }
  override delta(dim: number): number { return this.quantizer.delta(Math.ceil(dim / this.quantizer.d), dim); }

  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const D = x.length, d = this.quantizer.d, nb = Math.ceil(D / d);
    const norm = Math.fround(Math.sqrt(kernel().sumSquares(x)));
    if (!Number.isFinite(norm)) throw new FedquantError("E_INPUT", "dostovoq: ‖x‖ overflows float32");
    const head = new Uint8Array(new Float32Array([norm]).buffer);
    if (norm === 0) return { bytes: head, bits: 32 };
    const s = Math.sqrt(D) / norm;
    const rows = new Float32Array(nb * d);
    for (let i = 0; i < D; i++) rows[i] = x[i]! * s;
    const p = writeBuckets(this.quantizer, this.quantizer.encode(rows, nb, rng), nb);
    const bytes = new Uint8Array(4 + p.bytes.length);
    bytes.set(head); bytes.set(p.bytes, 4);
    return { bytes, bits: 32 + p.bits };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number, rng: RandomStream): Float32Array {
    if (payload.length < 4) throw new FedquantError("E_DECODE", `dostovoq payload of ${payload.length} bytes has no norm`);
    const norm = checkSideFloat("dostovoq", "‖g‖", new Float32Array(payload.slice(0, 4).buffer)[0]!);
    if (norm === 0) {
      if (bits !== 32) throw new FedquantError("E_DECODE", `dostovoq payload of a zero vector claims ${bits} bits, expected 32`);
      expectPayloadBytes(this.name, payload, 4);
      return new Float32Array(dim);
    }
    const nb = Math.ceil(dim / this.quantizer.d);
    const rows = this.quantizer.decode(readBuckets(this.quantizer, payload.subarray(4), bits - 32, nb, this.name), nb, rng);
    const s = norm / Math.sqrt(dim);
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) {
      out[i] = rows[i]! * s;
      if (!Number.isFinite(out[i]!)) throw new FedquantError("E_DECODE", `dostovoq: decoded coordinate ${i} overflows float32`);
    }
    return out;
  }
}
