// Small dense linear algebra for the models: Gram matrices, power iteration, Cholesky solve.
// Plain loops over Float64Array (models must stay pure TS, DESIGN.md "models ... import nothing").
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";

/**
 * Σ_i a_i b_i over len entries of a (from offset ao) and b (from bo). Four accumulators break
 * the chain of dependent additions (one add latency per term otherwise): ~3× faster in V8.
 */
export function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    s0 += a[ao + j]! * b[bo + j]!;
    s1 += a[ao + j + 1]! * b[bo + j + 1]!;
    s2 += a[ao + j + 2]! * b[bo + j + 2]!;
    s3 += a[ao + j + 3]! * b[bo + j + 3]!;
  }
  for (; j < len; j++) s0 += a[ao + j]! * b[bo + j]!;
  return (s0 + s1) + (s2 + s3);
}

/**
 * G += scale · XᵀX for row-major X (n × p); only the upper triangle (j ≥ i) is written, call
 * `symmetrize` afterwards. Rows are taken four at a time so every G entry is loaded and stored
 * once per four rows — the cost is n·p²/2 multiply-adds and this is the memory-bound part.
 */
export function addGramUpper(G: Float64Array, X: Float64Array, n: number, p: number, scale = 1): void {
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const o0 = r * p, o1 = o0 + p, o2 = o1 + p, o3 = o2 + p;
    for (let i = 0; i < p; i++) {
      const a0 = scale * X[o0 + i]!, a1 = scale * X[o1 + i]!, a2 = scale * X[o2 + i]!, a3 = scale * X[o3 + i]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // sparse LIBSVM rows are common
      const gi = i * p;
      for (let j = i; j < p; j++) {
        G[gi + j] += a0 * X[o0 + j]! + a1 * X[o1 + j]! + a2 * X[o2 + j]! + a3 * X[o3 + j]!;
      }
    }
  }
  for (; r < n; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const a = scale * X[o + i]!;
      if (a === 0) continue;
      const gi = i * p;
      for (let j = i; j < p; j++) G[gi + j] += a * X[o + j]!;
    }
  }
}

/** Copies the upper triangle of a p × p matrix into its lower triangle. */
export function symmetrize(G: Float64Array, p: number): void {
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) G[j * p + i] = G[i * p + j]!;
}

/** XᵀX (p × p, full, symmetric). */
export function gram(X: Float64Array, n: number, p: number, scale = 1): Float64Array {
  const G = new Float64Array(p * p);
  addGramUpper(G, X, n, p, scale);
  symmetrize(G, p);
  return G;
}

/** Frobenius norm of a symmetric p × p matrix. */
export function frobenius(G: Float64Array): number {
  let s = 0;
  for (let i = 0; i < G.length; i++) s += G[i]! * G[i]!;
  return Math.sqrt(s);
}

/**
 * Largest eigenvalue of XᵀX / n by power iteration applied through X (2np per step, no p × p
 * matrix, so it also fits E2's p = 512). The Rayleigh quotient rises monotonically to λ_max; we
 * stop when it moves by less than `tol` relative. Deterministic start (a fixed Philox stream) so
 * the same data always give the same number.
 */
export function gramMaxEigen(X: Float64Array, n: number, p: number, tol = 1e-10, maxIter = 2000): number {
  if (n === 0 || p === 0) return 0;
  let v = Float64Array.from(RandomStream.of(0x5eed, "init").normals(p));
  const u = new Float64Array(n);
  let gv = new Float64Array(p);
  normalize(v);
  let lambda = 0;
  for (let it = 0; it < maxIter; it++) {
    // u = X v ; gv = Xᵀ u / n
    for (let r = 0; r < n; r++) u[r] = dotAt(X, r * p, v, 0, p);
    gv.fill(0);
    for (let r = 0; r < n; r++) {
      const ur = u[r]!;
      if (ur === 0) continue;
      const o = r * p;
      for (let j = 0; j < p; j++) gv[j] += ur * X[o + j]!;
    }
    let rq = 0;
    for (let j = 0; j < p; j++) { gv[j] = gv[j]! / n; rq += v[j]! * gv[j]!; }
    const norm = normalize(gv);
    if (norm === 0) return 0; // v is in the null space: XᵀX = 0 along every direction we can reach
    const done = Math.abs(rq - lambda) <= tol * Math.abs(rq);
    lambda = rq;
    const t = v; v = gv; gv = t;
    if (done) break;
  }
  return lambda;
}

/** Scales v to unit norm in place and returns its former norm. */
export function normalize(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] = v[j]! / norm;
  return norm;
}

/**
 * In-place Cholesky A = L Lᵀ of a symmetric positive-definite p × p matrix (lower triangle of A
 * overwritten by L). Throws E_INPUT when A is not numerically positive definite.
 */
export function cholesky(A: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j]!;
    for (let k = 0; k < j; k++) d -= A[j * p + k]! * A[j * p + k]!;
    if (!(d > 0)) {
      throw new FedquantError("E_INPUT", `cholesky: matrix is not positive definite (pivot ${j} = ${d}); add a ridge or more rows`);
    }
    const ljj = Math.sqrt(d);
    A[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!;
      for (let k = 0; k < j; k++) s -= A[i * p + k]! * A[j * p + k]!;
      A[i * p + j] = s / ljj;
    }
  }
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) A[i * p + j] = 0;
  return A;
}

/** Solves L Lᵀ x = b for a Cholesky factor L (lower triangle), returning x. */
export function choleskySolve(L: Float64Array, p: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  return x;
}

/** ‖w‖². */
export function squaredNorm(w: Float64Array): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j]! * w[j]!;
  return s;
}
