// Top-k sparsification (spec/compressors.md "Top-k"): keep the k largest |x_i|. Biased,
// contractive with δ = k/D. Wire: k indices of ⌈log2 D⌉ bits, then k float32 values.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import { bitsFor } from "../wire/index.js";
import { BaseCompressor, concat, expectPayloadBytes, intParam, type Payload } from "./compressor.js";
import { topKIndices } from "./select.js";

export interface TopKParams { k?: number }

export class TopK extends BaseCompressor {
  readonly name = "topk";
  readonly id = 3;
  readonly unbiased = false;
  readonly params: Required<TopKParams>;
  protected readonly wireParams = { k: "u32" } as const;

  constructor(p: TopKParams = {}) {
    super();
    this.params = { k: intParam("k", "topk", p.k ?? 1, 1, 2 ** 28) };
  }

  omega(): number { return Infinity; }
  override delta(dim: number): number { return Math.min(1, this.params.k / dim); }
  protected override checkDim(dim: number): void {
    if (this.params.k > dim) throw new FedquantError("E_DIM", `topk: k = ${this.params.k} exceeds the dimension ${dim}`);
  }

  protected encodePayload(x: Float32Array): Payload {
    const k = this.params.k, ib = bitsFor(x.length);
    const idx = topKIndices(x, k);
    const vals = new Float32Array(k);
    idx.forEach((i, j) => { vals[j] = x[i]!; });
    const packed = ib > 0 ? kernel().packFixed(idx, ib) : new Uint8Array(0);
    return { bytes: concat(packed, new Uint8Array(vals.buffer)), bits: k * (ib + 32) };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number): Float32Array {
    const k = this.params.k, ib = bitsFor(dim), ibytes = Math.ceil((k * ib) / 8);
    if (bits !== k * (ib + 32)) throw new FedquantError("E_DECODE", `topk payload claims ${bits} bits, expected ${k * (ib + 32)}`);
    expectPayloadBytes(this.name, payload, ibytes + 4 * k);
    const idx = ib > 0 ? kernel().unpackFixed(payload.subarray(0, ibytes), k, ib) : new Uint32Array(k);
    const vals = new Float32Array(payload.slice(ibytes).buffer);
    const out = new Float32Array(dim);
    for (let j = 0; j < k; j++) {
      const i = idx[j]!;
      if (i >= dim) throw new FedquantError("E_DECODE", `topk index ${i} is outside 0..${dim - 1}`);
      if (j > 0 && i <= idx[j - 1]!) throw new FedquantError("E_DECODE", `topk indices must be strictly increasing (${idx[j - 1]} then ${i})`);
      if (!Number.isFinite(vals[j]!)) throw new FedquantError("E_DECODE", `topk value ${j} is ${vals[j]}`);
      out[i] = vals[j]!;
    }
    return out;
  }
}
