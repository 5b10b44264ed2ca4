// A small dense linear-program solver for the Delaunay (dual) quantizer (delaunay-quantizer.ts):
// min cᵀz s.t. Az = b, z ≥ 0, with few rows (d + 1 ≤ 257) and many columns (the codebook).
// Two-phase revised simplex (Dantzig, "Linear programming and extensions", 1963, ch. 7–9): an
// explicit m × m basis inverse updated by one pivot per iteration (O(m²)) and refactorised every
// REFACTOR iterations (O(m³)) to keep rounding in check, pricing over all columns (O(n·m)), and
// Bland's rule after a run of degenerate pivots, which cannot cycle (Bland 1977).
// Why not HiGHS: its wasm build is asynchronous to load and goes through a model object per call;
// a compressor's encode is synchronous and solves thousands of 17-row LPs per message. The tests
// check this solver's optima against HiGHS (the `highs` npm package), and `npm run bench` compares
// their speed on the quantizer's LPs.
import { FedquantError } from "../errors.js";

export interface DenseLp {
  /** Rows (equality constraints). */
  m: number;
  /** Columns (variables, all ≥ 0). */
  n: number;
  /** Column j of A is A[j·m … j·m + m). */
  A: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

export interface LpSolution {
  status: "optimal" | "infeasible" | "unbounded";
  objective: number;
  /** Basic columns (−1 for a redundant row kept by its artificial at 0) and their values. */
  basis: Int32Array;
  values: Float64Array;
  /** Optimal duals π (c_j − πᵀA_j ≥ 0 for every column at the optimum). */
  duals: Float64Array;
  iterations: number;
}

const REFACTOR = 40;
/** Degenerate pivots in a row before switching from Dantzig's rule to Bland's. */
const STALL = 25;
/** Relative tolerances: reduced costs, pivot elements, feasibility. */
const TOL_COST = 1e-10, TOL_PIVOT = 1e-9, TOL_FEAS = 1e-9;

/** Solve a dense LP in standard form. Throws E_STATE only if the iteration cap is hit (it should not). */
export function solveDenseLp(lp: DenseLp, maxIterations = 50_000): LpSolution {
  const { m, n, A, c } = lp;
  if (A.length !== m * n || lp.b.length !== m || c.length !== n) throw new FedquantError("E_CONFIG", `lp: A must be ${m}×${n}, b of length ${m}, c of length ${n}`);
  // rows with b_i < 0 are negated so the artificial basis x_a = b is feasible
  const sign = new Float64Array(m);
  const b = new Float64Array(m);
  let bScale = 1;
  for (let i = 0; i < m; i++) { sign[i] = lp.b[i]! < 0 ? -1 : 1; b[i] = Math.abs(lp.b[i]!); bScale = Math.max(bScale, b[i]!); }
  // the sign-adjusted matrix, then the m artificial identity columns: one flat array, no branches
  const N = n + m;
  const As = new Float64Array(N * m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) As[j * m + i] = sign[i]! * A[j * m + i]!;
  for (let i = 0; i < m; i++) As[(n + i) * m + i] = 1;
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = n + i;
  const Binv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Binv[i * m + i] = 1;
  const xB = Float64Array.from(b);
  const y = new Float64Array(m), u = new Float64Array(m);
  const cost = new Float64Array(N);
  const inBasis = new Uint8Array(N);
  let iterations = 0;

  const refactor = () => {
    // Gauss–Jordan with partial pivoting on [B | I]
    const w = 2 * m, W = new Float64Array(m * w);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < m; k++) W[i * w + k] = As[basis[k]! * m + i]!;
      W[i * w + m + i] = 1;
    }
    for (let k = 0; k < m; k++) {
      let p = k;
      for (let i = k + 1; i < m; i++) if (Math.abs(W[i * w + k]!) > Math.abs(W[p * w + k]!)) p = i;
      if (p !== k) for (let j = 0; j < w; j++) { const t = W[k * w + j]!; W[k * w + j] = W[p * w + j]!; W[p * w + j] = t; }
      const piv = W[k * w + k]!;
      if (piv === 0) throw new FedquantError("E_STATE", "lp: the basis became singular");
      for (let j = 0; j < w; j++) W[k * w + j] /= piv;
      for (let i = 0; i < m; i++) {
        if (i === k) continue;
        const f = W[i * w + k]!;
        if (f !== 0) for (let j = 0; j < w; j++) W[i * w + j] -= f * W[k * w + j]!;
      }
    }
    for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) Binv[i * m + k] = W[i * w + m + k]!;
    for (let i = 0; i < m; i++) { let s = 0; for (let k = 0; k < m; k++) s += Binv[i * m + k]! * b[k]!; xB[i] = Math.max(0, s); }
  };

  /** u = B⁻¹ A_q. */
  const direction = (q: number) => {
    const o = q * m;
    for (let i = 0; i < m; i++) { let s = 0; const r = i * m; for (let k = 0; k < m; k++) s += Binv[r + k]! * As[o + k]!; u[i] = s; }
  };

  const pivot = (r: number, q: number) => {
    const ur = u[r]!;
    for (let k = 0; k < m; k++) Binv[r * m + k] /= ur;
    xB[r] = xB[r]! / ur;
    for (let i = 0; i < m; i++) {
      if (i === r || u[i] === 0) continue;
      const f = u[i]!;
      for (let k = 0; k < m; k++) Binv[i * m + k] -= f * Binv[r * m + k]!;
      xB[i] = Math.max(0, xB[i]! - f * xB[r]!);
    }
    inBasis[basis[r]!] = 0; inBasis[q] = 1;
    basis[r] = q;
  };

  /** Minimise cost over columns j < limit (the artificials take part only in phase 1). */
  const run = (limit: number): "optimal" | "unbounded" => {
    let stall = 0, since = 0, cScale = 1;
    for (let j = 0; j < limit; j++) cScale = Math.max(cScale, Math.abs(cost[j]!));
    const tol = TOL_COST * cScale;
    for (;;) {
      if (++iterations > maxIterations) throw new FedquantError("E_STATE", `lp: no optimum after ${maxIterations} simplex iterations`);
      if (++since >= REFACTOR) { refactor(); since = 0; }
      // duals yᵀ = c_Bᵀ B⁻¹, then reduced costs c_j − yᵀA_j
      y.fill(0);
      for (let i = 0; i < m; i++) { const cb = cost[basis[i]!]!; if (cb !== 0) for (let k = 0; k < m; k++) y[k] += cb * Binv[i * m + k]!; }
      let q = -1, best = -tol;
      const bland = stall >= STALL;
      for (let j = 0; j < limit; j++) {
        if (inBasis[j]) continue;
        let r = cost[j]!;
        const o = j * m;
        for (let i = 0; i < m; i++) r -= y[i]! * As[o + i]!;
        if (r < best) { q = j; if (bland) break; best = r; }
      }
      if (q < 0) return "optimal";
      direction(q);
      let r = -1, ratio = Infinity, uMax = 0;
      for (let i = 0; i < m; i++) uMax = Math.max(uMax, Math.abs(u[i]!));
      for (let i = 0; i < m; i++) {
        if (u[i]! <= TOL_PIVOT * uMax) continue;
        const t = xB[i]! / u[i]!;
        // ties: Bland (lowest basic index) when stalled, else the larger pivot for stability
        if (t < ratio - 1e-12 * bScale || (Math.abs(t - ratio) <= 1e-12 * bScale && (bland ? basis[i]! < basis[r]! : u[i]! > u[r]!))) { ratio = t; r = i; }
      }
      if (r < 0) return "unbounded";
      stall = ratio <= 1e-12 * bScale ? stall + 1 : 0;
      pivot(r, q);
    }
  };

  // phase 1: minimise the sum of artificials
  for (let i = 0; i < m; i++) { inBasis[n + i] = 1; cost[n + i] = 1; }
  run(N);
  refactor();
  let infeas = 0;
  for (let i = 0; i < m; i++) if (basis[i]! >= n) infeas += xB[i]!;
  if (infeas > TOL_FEAS * bScale) return { status: "infeasible", objective: NaN, basis: new Int32Array(0), values: new Float64Array(0), duals: new Float64Array(0), iterations };
  // drive artificials (at 0) out of the basis; a row with no real column to pivot on is redundant
  for (let r = 0; r < m; r++) {
    if (basis[r]! < n) continue;
    let q = -1, umax = 0;
    for (let j = 0; j < n; j++) {
      if (inBasis[j]) continue;
      let s = 0;
      for (let k = 0; k < m; k++) s += Binv[r * m + k]! * As[j * m + k]!;
      if (Math.abs(s) > umax) { umax = Math.abs(s); q = j; }
    }
    if (q >= 0 && umax > 1e-7) { direction(q); pivot(r, q); }
  }
  // phase 2 over the real columns (an artificial left basic at 0 on a redundant row costs 0)
  for (let j = 0; j < N; j++) cost[j] = j < n ? c[j]! : 0;
  const status = run(n);
  refactor();
  let objective = 0;
  const outBasis = new Int32Array(m), values = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = basis[i]!;
    outBasis[i] = j < n ? j : -1;
    values[i] = j < n ? xB[i]! : 0;
    if (j < n) objective += c[j]! * xB[i]!;
  }
  // duals of the original rows: yᵀ = c_Bᵀ B⁻¹ for the sign-adjusted rows, so π_i = sign_i · y_i
  y.fill(0);
  for (let i = 0; i < m; i++) { const cb = cost[basis[i]!]!; if (cb !== 0) for (let k = 0; k < m; k++) y[k] += cb * Binv[i * m + k]!; }
  const duals = Float64Array.from(y, (v, i) => v * sign[i]!);
  return { status, objective: status === "optimal" ? objective : -Infinity, basis: outBasis, values, duals, iterations };
}

/**
 * The same LP solved on a growing subset of columns (column generation; Dantzig & Wolfe 1960):
 * start with the first `k0` columns of `order` (the caller's guess of where the optimum lies), solve,
 * price every column with the restricted optimum's duals, add the most violated ones and solve again
 * until no column prices out — then the restricted optimum is optimal for the whole LP (its duals are
 * feasible for all columns). A restricted LP that is infeasible doubles the subset. Exact, and on
 * the quantizer's LPs (d + 1 = 17 rows, M = 1024 columns) several times faster than the full solve.
 */
export function solveByColumns(lp: DenseLp, order: Int32Array, k0: number): LpSolution {
  const { m, n, A, b, c } = lp;
  const chosen: number[] = Array.from(order.subarray(0, Math.min(k0, n)));
  const taken = new Uint8Array(n);
  for (const j of chosen) taken[j] = 1;
  let next = chosen.length, iterations = 0;
  for (;;) {
    const k = chosen.length;
    const sub = new Float64Array(k * m), sc = new Float64Array(k);
    chosen.forEach((j, t) => { sub.set(A.subarray(j * m, j * m + m), t * m); sc[t] = c[j]!; });
    const sol = solveDenseLp({ m, n: k, A: sub, b, c: sc });
    iterations += sol.iterations;
    if (sol.status === "infeasible") {
      if (k === n) return { ...sol, iterations };
      for (let add = Math.max(k, 1); add > 0 && next < n; add--) { const j = order[next++]!; if (!taken[j]) { taken[j] = 1; chosen.push(j); } }
      continue;
    }
    if (sol.status !== "optimal") return { ...sol, iterations };
    // price the columns left out
    let cScale = 1;
    for (let j = 0; j < n; j++) cScale = Math.max(cScale, Math.abs(c[j]!));
    const viol: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      let r = c[j]!;
      for (let i = 0; i < m; i++) r -= sol.duals[i]! * A[j * m + i]!;
      if (r < -TOL_COST * cScale) viol.push([r, j]);
    }
    if (viol.length === 0) {
      return { ...sol, basis: sol.basis.map((t) => (t < 0 ? -1 : chosen[t]!)), iterations };
    }
    viol.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [, j] of viol.slice(0, Math.max(8, k0 >> 1))) { taken[j] = 1; chosen.push(j); }
  }
}
