// Cross-polytope vector quantization (vqSGD, Gandikota et al. 2021; spec/compressors.md):
// u = x/‖x‖ is a convex combination of the 2D vertices ±√D e_i — weight |u_i|/√D on
// sign(u_i)√D e_i plus the left-over mass 1 − ‖u‖₁/√D spread evenly over all 2D vertices.
// Drawing a vertex with those weights is unbiased for u; n draws are averaged.
// Each draw costs ⌈log2 2D⌉ bits; ω = (D − 1)/n since every vertex has ‖v‖² = D.
// A draw inverts the CDF of the 2D weights with a 53-bit uniform: with the 2^-24 grid of an f32
// uniform, vertices whose weight is below ~2^-24 (the left-over mass at large D, or the light
// sign of a coordinate) would be drawn at a wrong rate or never, and the draw would be biased.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import type { RandomStream } from "../random/index.js";
import { bitsFor } from "../wire/index.js";
import { BaseCompressor, concat, expectPayloadBytes, intParam, type Payload } from "./compressor.js";

export interface CrossPolytopeParams { draws?: number }

export class CrossPolytope extends BaseCompressor {
  readonly name = "crosspolytope";
  readonly id = 5;
  readonly unbiased = true;
  readonly params: Required<CrossPolytopeParams>;
  protected readonly wireParams = { draws: "u32" } as const;

  constructor(p: CrossPolytopeParams = {}) {
    super();
    this.params = { draws: intParam("draws", "crosspolytope", p.draws ?? 1, 1, 2 ** 20) };
  }

  omega(dim: number): number { return (dim - 1) / this.params.draws; }

  protected encodePayload(x: Float32Array, rng: RandomStream): Payload {
    const D = x.length, n = this.params.draws, ib = bitsFor(2 * D);
    const norm = Math.fround(kernel().norm2(x));
    if (norm === Infinity) throw new FedquantError("E_INPUT", `crosspolytope: ‖x‖ overflows float32; rescale the input`);
    const codes = new Uint32Array(n);
    const u = rng.uniforms53(n);
    if (norm > 0) {
      const sq = Math.sqrt(D);
      let l1 = 0;
      for (let i = 0; i < D; i++) l1 += Math.abs(x[i]!) / norm;
      const rest = Math.max(0, 1 - l1 / sq) / (2 * D);
      // cumulative weights over the 2D vertices in code order: code 2i = +√D e_i, 2i+1 = −√D e_i
      const cdf = new Float64Array(2 * D);
      let acc = 0;
      for (let i = 0; i < D; i++) {
        const w = Math.abs(x[i]!) / norm / sq;
        acc += (x[i]! >= 0 ? w : 0) + rest; cdf[2 * i] = acc;
        acc += (x[i]! < 0 ? w : 0) + rest; cdf[2 * i + 1] = acc;
      }
      for (let d = 0; d < n; d++) codes[d] = searchCdf(cdf, u[d]! * acc);
    }
    const packed = ib > 0 ? kernel().packFixed(codes, ib) : new Uint8Array(0);
    return { bytes: concat(new Uint8Array(new Float32Array([norm]).buffer), packed), bits: 32 + n * ib };
  }

  protected decodePayload(payload: Uint8Array, bits: number, dim: number): Float32Array {
    const n = this.params.draws, ib = bitsFor(2 * dim);
    if (bits !== 32 + n * ib) throw new FedquantError("E_DECODE", `crosspolytope payload claims ${bits} bits, expected ${32 + n * ib}`);
    expectPayloadBytes(this.name, payload, 4 + Math.ceil((n * ib) / 8));
    const norm = new Float32Array(payload.slice(0, 4).buffer)[0]!;
    if (!Number.isFinite(norm) || norm < 0) throw new FedquantError("E_DECODE", `crosspolytope norm is ${norm}`);
    const out = new Float32Array(dim);
    if (norm === 0) return out;
    const codes = ib > 0 ? kernel().unpackFixed(payload.subarray(4), n, ib) : new Uint32Array(n);
    const step = (norm * Math.sqrt(dim)) / n;
    for (const c of codes) {
      if (c >= 2 * dim) throw new FedquantError("E_DECODE", `crosspolytope code ${c} is outside 0..${2 * dim - 1}`);
      out[c >>> 1] += c & 1 ? -step : step;
    }
    return out;
  }
}

/** First index with cdf[i] > v (cdf increasing); the last index if rounding leaves v at the top. */
function searchCdf(cdf: Float64Array, v: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > v) hi = mid; else lo = mid + 1;
  }
  return lo;
}
