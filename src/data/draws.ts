// Buffered draws from one RandomStream (spec/random.md) for generators that need an unknown
// number of variates (Gamma rejection sampling), plus Gamma and Dirichlet samplers.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";

const BATCH = 256;

/** Normals and uniforms read from a stream in batches: one Philox call per 256 draws. */
export class Draws {
  private normalsBuf: Float32Array = new Float32Array(0);
  private uniformsBuf: Float32Array = new Float32Array(0);
  private ni = 0;
  private ui = 0;
  constructor(private readonly stream: RandomStream) {}

  normal(): number {
    if (this.ni === this.normalsBuf.length) { this.normalsBuf = this.stream.normals(BATCH); this.ni = 0; }
    return this.normalsBuf[this.ni++]!;
  }

  /** uniform in (0, 1) */
  uniform(): number {
    if (this.ui === this.uniformsBuf.length) { this.uniformsBuf = this.stream.uniforms(BATCH); this.ui = 0; }
    return this.uniformsBuf[this.ui++]!;
  }

  /**
   * Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables";
   * for shape < 1 the boost Gamma(shape) = Gamma(shape + 1) · U^(1/shape) (their §6).
   */
  gamma(shape: number): number {
    if (!(shape > 0 && Number.isFinite(shape))) throw new FedquantError("E_CONFIG", `gamma: shape must be > 0, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do { x = this.normal(); v = 1 + c * x; } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Dirichlet(α, …, α) of dimension k: normalised independent Gamma(α) draws. */
  dirichlet(k: number, alpha: number): Float64Array {
    const q = new Float64Array(k);
    let s = 0;
    for (let i = 0; i < k; i++) { q[i] = this.gamma(alpha); s += q[i]!; }
    // all k draws underflowing to 0 is possible for tiny α: fall back to a random vertex
    if (s === 0) { q[Math.min(k - 1, Math.floor(this.uniform() * k))] = 1; return q; }
    for (let i = 0; i < k; i++) q[i] = q[i]! / s;
    return q;
  }
}
