// Scaled sign (signSGD-style, Bernstein et al. 2018; spec/compressors.md "Sign"):
// C(x) = (‖x_b‖₁/|b|) sign(x_b) per bucket b. Biased; with this ℓ1 scale
// ‖C(x) − x‖² = ‖x‖² − ‖x‖₁²/D, so it contracts with δ ≥ 1/D.
import { FedquantError } from "../errors.js";
import { kernel, signDecodeBytes, signEncodeAt } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, expectPayloadBytes, intParam, type Payload } from "./compressor.js";

export interface SignParams { /** bucket size (0 = whole vector, one scale) */ bucket?: number }

export class ScaledSign extends BaseCompressor {
  readonly name = "sign";
  readonly id = 2;
  readonly unbiased = false;
  readonly params: Required<SignParams>;
  protected readonly wireParams = { bucket: "u32" } as const;

  constructor(p: SignParams = {}) {
    super();
    this.params = { bucket: intParam("bucket", "sign", p.bucket ?? 0, 0, 2 ** 28) };
  }

  private bucketSize(dim: number): number { return this.params.bucket === 0 ? dim : Math.min(this.params.bucket, dim); }
  omega(): number { return Infinity; }
  override delta(dim: number): number { return 1 / this.bucketSize(dim); }

  protected override readonly inputInMemory = true;

  // one kernel call: scales f32(‖x_b‖₁/|b|) then the sign bits of x
  protected encodePayload(x: Float32Array, _rng: RandomStream, px: number): Payload {
    const dim = x.length, nb = Math.ceil(dim / this.bucketSize(dim));
    return { bytes: signEncodeAt(kernel(), px, dim, this.bucketSize(dim)), bits: 32 * nb + dim };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number, _rng?: RandomStream, into?: Float32Array): Float32Array {
    const b = this.bucketSize(dim), nb = Math.ceil(dim / b);
    if (bits !== 32 * nb + dim) throw new FedquantError("E_DECODE", `sign payload claims ${bits} bits, expected ${32 * nb + dim}`);
    expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil(dim / 8));
    const scales = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + 4 * nb));
    scales.forEach((v, j) => { if (!Number.isFinite(v) || v < 0) throw new FedquantError("E_DECODE", `sign scale ${j} is ${v}`); });
    return signDecodeBytes(kernel(), payload, dim, b, into);
  }
}
