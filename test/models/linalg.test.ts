// The small dense linear algebra under lsrOptimum and the smoothness constants.
import { describe, expect, it } from "vitest";
import { cholesky, choleskySolve, gram, gramMaxEigen } from "../../src/models/index.js";
import { maxAbsDiff, randomVector } from "./helpers.js";

describe("linalg", () => {
  it("gram equals XᵀX computed naively (odd row count exercises the 4-row blocking tail)", () => {
    const n = 11, p = 4;
    const X = randomVector(n * p, 1);
    const G = gram(X, n, p);
    const naive = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) naive[i * p + j] += X[r * p + i]! * X[r * p + j]!;
    expect(maxAbsDiff(G, naive)).toBeLessThan(1e-12);
  });

  it("choleskySolve solves A x = b", () => {
    const p = 6, X = randomVector(20 * p, 2);
    const A = gram(X, 20, p), b = randomVector(p, 3);
    const x = choleskySolve(cholesky(Float64Array.from(A), p), p, b);
    const Ax = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Ax[i] += A[i * p + j]! * x[j]!;
    expect(maxAbsDiff(Ax, b)).toBeLessThan(1e-10);
  });

  it("gramMaxEigen finds the top eigenvalue when the gap is small (eigenvalues 1 and 0.99)", () => {
    // X = diag(1, √0.99, 0.5) scaled by √n: XᵀX/n = diag(1, 0.99, 0.25)
    const X = Float64Array.of(Math.sqrt(3), 0, 0, 0, Math.sqrt(3 * 0.99), 0, 0, 0, Math.sqrt(0.75));
    expect(gramMaxEigen(X, 3, 3)).toBeCloseTo(1, 6);
  });
});
