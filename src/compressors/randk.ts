// Rand-k sparsification (spec/compressors.md "Rand-k"): k coordinates drawn uniformly without
// replacement, scaled by D/k: unbiased, ω = D/k − 1. The indices come from the shared stream
// (the header carries seed, stream and position), so only the k values travel.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import { BaseCompressor, expectPayloadBytes, intParam, type Payload } from "./compressor.js";

export interface RandKParams { k?: number }

export class RandK extends BaseCompressor {
  readonly name = "randk";
  readonly id = 4;
  readonly unbiased = true;
  readonly params: Required<RandKParams>;
  protected readonly wireParams = { k: "u32" } as const;

  constructor(p: RandKParams = {}) {
    super();
    this.params = { k: intParam("k", "randk", p.k ?? 1, 1, 2 ** 24) };
  }

  omega(dim: number): number { return dim / this.params.k - 1; }
  protected override checkDim(dim: number): void {
    if (this.params.k > dim) throw new FedquantError("E_DIM", `randk: k = ${this.params.k} exceeds the dimension ${dim}`);
  }

  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const k = this.params.k, scale = x.length / k;
    const idx = rng.sampleWithoutReplacement(x.length, k);
    const vals = new Float32Array(k);
    idx.forEach((i, j) => {
      vals[j] = x[i]! * scale;
      if (!Number.isFinite(vals[j]!)) throw new FedquantError("E_INPUT", `randk: x[${i}]·D/k = ${x[i]! * scale} overflows float32; rescale the input`);
    });
    return { bytes: new Uint8Array(vals.buffer), bits: 32 * k };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number, rng: RandomStream): Float32Array {
    const k = this.params.k;
    if (bits !== 32 * k) throw new FedquantError("E_DECODE", `randk payload claims ${bits} bits, expected ${32 * k}`);
    expectPayloadBytes(this.name, payload, 4 * k);
    const vals = new Float32Array(payload.slice().buffer);
    const idx = rng.sampleWithoutReplacement(dim, k);
    const out = new Float32Array(dim);
    idx.forEach((i, j) => {
      if (!Number.isFinite(vals[j]!)) throw new FedquantError("E_DECODE", `randk value ${j} is ${vals[j]}`);
      out[i] = vals[j]!;
    });
    return out;
  }
}
