// Error feedback (Seide et al. 2014; Karimireddy et al. 2019; spec/compressors.md):
// send C(x + e) and keep e ← x + e − C(x + e). Makes biased compressors (sign, top-k) usable.
// A stateful wrapper, one per sender.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import type { Compressor } from "./compressor.js";

export class ErrorFeedback {
  private e: Float32Array;

  constructor(readonly compressor: Compressor, readonly dim: number) {
    this.e = new Float32Array(dim);
  }

  /** The residual carried to the next step. */
  get error(): Float32Array { return this.e; }

  /** Compress x + e, update e, return the message (the receiver decodes it as usual). */
  encode(x: Float32Array, rng: RandomStream): Uint8Array {
    if (x.length !== this.dim) throw new FedquantError("E_DIM", `error feedback holds dimension ${this.dim}, got ${x.length}`);
    const corrected = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) corrected[i] = x[i]! + this.e[i]!;
    const start = rng.clone();
    const msg = this.compressor.encode(corrected, rng);
    const sent = this.compressor.decode(msg, this.dim, start);
    for (let i = 0; i < this.dim; i++) this.e[i] = corrected[i]! - sent[i]!;
    return msg;
  }

  reset(): void { this.e.fill(0); }
}
