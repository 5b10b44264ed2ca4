// Scaled sign (signSGD-style, Bernstein et al. 2018; spec/compressors.md "Sign"):
// C(x) = (‖x_b‖₁/|b|) sign(x_b) per bucket b. Biased; with this ℓ1 scale
// ‖C(x) − x‖² = ‖x‖² − ‖x‖₁²/D, so it contracts with δ ≥ 1/D.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import { BaseCompressor, concat, expectPayloadBytes, intParam, type Payload } from "./compressor.js";

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

  protected encodePayload(x: Float32Array): Payload {
    const k = kernel();
    const dim = x.length, b = this.bucketSize(dim), nb = Math.ceil(dim / b);
    const scales = new Float32Array(nb);
    for (let j = 0; j < nb; j++) {
      const seg = x.subarray(j * b, Math.min(dim, (j + 1) * b));
      scales[j] = k.absSum(seg) / seg.length;
    }
    return { bytes: concat(new Uint8Array(scales.buffer), k.signBits(x)), bits: 32 * nb + dim };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number): Float32Array {
    const b = this.bucketSize(dim), nb = Math.ceil(dim / b);
    if (bits !== 32 * nb + dim) throw new FedquantError("E_DECODE", `sign payload claims ${bits} bits, expected ${32 * nb + dim}`);
    expectPayloadBytes(this.name, payload, 4 * nb + Math.ceil(dim / 8));
    const scales = new Float32Array(payload.slice(0, 4 * nb).buffer);
    scales.forEach((v, j) => { if (!Number.isFinite(v) || v < 0) throw new FedquantError("E_DECODE", `sign scale ${j} is ${v}`); });
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) {
      const neg = (payload[4 * nb + (i >> 3)]! >> (i & 7)) & 1;
      const sc = scales[Math.floor(i / b)]!;
      out[i] = neg ? -sc : sc;
    }
    return out;
  }
}
