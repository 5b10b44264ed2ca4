// E5's evidence that a Gaussian codebook fits real gradients (StoVoQ, Leconte et al. 2021, the
// figure "histograms of the gradient buckets of a real network against Gaussian vectors, with
// the radial bias r_M of the same dimension"): the CNN's gradients, normalised as DoStoVoQ does
// (g·√D/‖g‖, so E‖bucket‖² = d), cut into d = 16 buckets; the density of the bucket norms ρ
// against that of ‖z‖, z ~ N(0, I_16) (a χ_16 law), and the radial bias ratio r_M(ρ)/ρ of the
// codebook (M = 2^13, α = 1: DoStoVoQ's defaults), which says how much of each norm survives.
import { radialBias } from "../compressors/index.js";
import { RandomStream } from "../random/index.js";

export const BUCKET_D = 16;
export const BUCKET_M = 2 ** 13;

/** Norms of the full d-buckets of g·√D/‖g‖ (a trailing partial bucket is left out). */
export function bucketNorms(g: ArrayLike<number>, d = BUCKET_D): number[] {
  let ss = 0;
  for (let j = 0; j < g.length; j++) ss += g[j]! * g[j]!;
  if (ss === 0) return [];
  const scale = Math.sqrt(g.length / ss), out: number[] = [];
  for (let b = 0; b + d <= g.length; b += d) {
    let s = 0;
    for (let j = b; j < b + d; j++) s += (g[j]! * scale) ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

/** ‖z‖ for `count` draws z ~ N(0, I_d) from the seeded stream. */
export function gaussianNorms(count: number, seed: number, d = BUCKET_D): number[] {
  const z = RandomStream.of(seed, "test", 0xe5, d).normals(count * d);
  return Array.from({ length: count }, (_, i) => Math.hypot(...z.subarray(i * d, (i + 1) * d)));
}

export interface Histogram { edges: number[]; centers: number[]; density: number[] }

/** Density histogram on [0, top] (values above top land in the last bin, so the areas stay 1). */
export function histogram(values: readonly number[], top: number, bins: number): Histogram {
  const w = top / bins, counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / w))]!++;
  return {
    edges: Array.from({ length: bins + 1 }, (_, i) => i * w),
    centers: Array.from({ length: bins }, (_, i) => (i + 0.5) * w),
    density: counts.map((c) => c / (values.length * w)),
  };
}

export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** r_M(ρ)/ρ at the histogram's centres (DoStoVoQ's codebook: d = 16, M = 2^13, α = 1). */
export function radialRatio(centers: readonly number[]): number[] {
  return centers.map((rho) => radialBias(rho, BUCKET_D, BUCKET_M) / rho);
}
