// Identity: the uncompressed baseline, 32 bits per coordinate (spec/compressors.md).
import { FedquantError } from "../errors.js";
import { BaseCompressor, expectPayloadBytes, type Payload } from "./compressor.js";

export class Identity extends BaseCompressor {
  readonly name = "identity";
  readonly id = 0;
  readonly unbiased = true;
  readonly params = {};
  protected readonly wireParams = {};

  omega(): number { return 0; }
  override delta(): number { return 1; }

  protected encodePayload(x: Float32Array): Payload {
    const bytes = new Uint8Array(x.length * 4);
    new Float32Array(bytes.buffer).set(x); // the library is little-endian only (wasm is)
    return { bytes, bits: 32 * x.length };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number): Float32Array {
    expectPayloadBytes(this.name, payload, 4 * dim);
    if (bits !== 32 * dim) throw new FedquantError("E_DECODE", `identity payload claims ${bits} bits, expected ${32 * dim}`);
    const out = new Float32Array(dim);
    new Uint8Array(out.buffer).set(payload);
    // a plain loop, not findIndex with a closure: this runs over every uplink of SGLD-like runs
    // (x − x is NaN exactly for NaN and ±Infinity)
    for (let i = 0; i < dim; i++) {
      const v = out[i]!;
      if (v - v !== 0) throw new FedquantError("E_DECODE", `identity payload value ${i} is ${v}`);
    }
    return out;
  }
}
