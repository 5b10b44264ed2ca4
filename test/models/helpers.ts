// Test helpers for the models: seeded random datasets and central finite differences.
import { RandomStream } from "../../src/random/index.js";
import type { Dataset, Objective } from "../../src/models/index.js";

export function randomVector(n: number, seed: number, scale = 1): Float64Array {
  const z = RandomStream.of(seed, "test").normals(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = z[i]! * scale;
  return v;
}

/** n × p Gaussian features; labels made by `label(row index, uniform)`. */
export function randomDataset(n: number, p: number, seed: number, label: (u: number, r: number) => number): Dataset {
  const X = randomVector(n * p, seed);
  const u = RandomStream.of(seed, "test", 1).uniforms(n);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) y[r] = label(u[r]!, r);
  return { n, p, X, y };
}

/** Central differences (F(w + h e_j) − F(w − h e_j)) / 2h, error O(h²) + O(ε/h). */
export function numericGrad(obj: Objective, w: Float64Array, data: Dataset, rows?: ArrayLike<number>, h = 1e-5): Float64Array {
  const g = new Float64Array(w.length);
  const wp = Float64Array.from(w);
  for (let j = 0; j < w.length; j++) {
    wp[j] = w[j]! + h;
    const fp = obj.loss(wp, data, rows);
    wp[j] = w[j]! - h;
    const fm = obj.loss(wp, data, rows);
    wp[j] = w[j]!;
    g[j] = (fp - fm) / (2 * h);
  }
  return g;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
