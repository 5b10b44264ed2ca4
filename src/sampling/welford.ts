// Running posterior mean and variance of the kept samples (spec/langevin.md "Output": Welford 1962,
// numerically stable — no catastrophic cancellation of E[θ²] − E[θ]² when |mean| ≫ sd).
import { FedquantError } from "../errors.js";
import type { ChainState } from "./chain.js";

export class Welford {
  count = 0;
  readonly mean: Float64Array;
  /** Σ (x − mean)², per coordinate */
  readonly m2: Float64Array;

  constructor(readonly dim: number) {
    // a typed error, not a RangeError from the allocation (issue #14 size sweep)
    if (!(Number.isInteger(dim) && dim >= 1 && dim <= 2 ** 28)) throw new FedquantError("E_CONFIG", `Welford: dim must be an integer in [1, 2^28], got ${dim}`);
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  push(x: ArrayLike<number>): void {
    if (x.length !== this.dim) throw new FedquantError("E_DIM", `Welford: sample of length ${x.length}, expected ${this.dim}`);
    const n = ++this.count;
    for (let j = 0; j < this.dim; j++) {
      const delta = x[j]! - this.mean[j]!;
      this.mean[j] += delta / n;
      this.m2[j] += delta * (x[j]! - this.mean[j]!);
    }
  }

  /** Unbiased variance (n − 1 denominator); NaN with fewer than 2 samples. */
  variance(): Float64Array {
    const out = new Float64Array(this.dim);
    for (let j = 0; j < this.dim; j++) out[j] = this.count < 2 ? NaN : this.m2[j]! / (this.count - 1);
    return out;
  }

  save(): ChainState { return { count: this.count, mean: Float64Array.from(this.mean), m2: Float64Array.from(this.m2) }; }

  load(s: ChainState): void {
    if (!(Number.isInteger(s.count) && (s.count as number) >= 0 && s.mean instanceof Float64Array && s.m2 instanceof Float64Array && s.mean.length === this.dim && s.m2.length === this.dim)) {
      throw new FedquantError("E_STATE", `Welford: saved state is not { count, mean, m2 } of length ${this.dim}`);
    }
    this.count = s.count as number;
    this.mean.set(s.mean);
    this.m2.set(s.m2);
  }
}
