// The StoVoQ radial bias r_M(ρ) = E⟨c_{j*}, u⟩ (spec/stovoq.md "The radial bias"; Leconte et
// al. 2021) by the exact 2-D integral, with the second moment s_M(ρ) = E‖c_{j*}‖² from the same
// pass (it gives the variance and ω), tabulated over ρ with 6-point interpolation and cached.
//
// The integral. Put x = ρe₁ and write a codeword c = α(a e₁ + w), a ∼ N(0,1), q = ‖w‖² ∼ χ²_{d−1}.
// The winner has density M φ(a) f_{χ²_{d−1}}(q) S(t)^{M−1}, t = ‖x − c‖² = (ρ − αa)² + α²q, S(t) =
// P(α²·ncχ²_d(ρ²/α²) > t). Change variables (a, q) → (t, θ) with αa = ρ − √t cos θ, α²q = t sin²θ
// (|Jacobian| = √t sin θ/α³), so t is the winner's squared distance and θ its angle to −x:
//   r_M(ρ) = ∫₀^∞ M S(t)^{M−1} h(t) m(t) dt,  h(t) = C t^{(d−2)/2} e^{−(ρ−√t)²/2} J₀(κ),
//   m(t) = ρ − √t J₁(κ)/J₀(κ),  J_i(κ) = ∫₀^π cos^iθ sin^{d−2}θ e^{−2κ sin²(θ/2)} dθ,  κ = ρ√t
// (α = 1; r scales as r(ρ; α) = α r(ρ/α; 1)). h is the ncχ²_d(ρ²) density (a test checks it).
// The outer integral runs in y = ln t with the trapezoid rule — the integrand is a smooth bump
// that vanishes at both ends of the range found by bisection, where the rule converges
// geometrically — and is self-normalised (Z = ∫ M S^{M−1} h = 1 up to quadrature error; Z is
// reported). The inner θ-integrals use Gauss–Legendre on [0, θ_max], θ_max cutting the
// log-integrand 46 below its peak.
import { FedquantError } from "../errors.js";
import { gaussLegendre, lgamma, ncChi2Cdf, normalCdf } from "./radial-bias-special.js";
import { RADIAL_TABLES } from "./tables/radial-tables.js";

export interface RadialPoint {
  /** r_M(ρ) = E⟨c_{j*}, x/‖x‖⟩ */
  r: number;
  /** s_M(ρ) = E‖c_{j*}‖² */
  s2: number;
  /** ∫ of the winner's density by the same quadrature (1 up to the quadrature error) */
  z: number;
}

export interface RadialOptions {
  /** trapezoid nodes in ln t (default 192) */
  nodes?: number;
  /** Gauss–Legendre nodes in θ (default 64) */
  angleNodes?: number;
}

/**
 * F(t) = P(‖x − c‖² ≤ t) and S = 1 − F for one codeword, α = 1, ‖x‖ = ρ: the non-central χ²_d(ρ²)
 * distribution function (Poisson mixture: ~17√(ρ²/2) terms, so ρ ≤ RHO_TOP keeps it cheap).
 */
export function distanceCdf(t: number, rho: number, d: number): { p: number; q: number } {
  return ncChi2Cdf(t, d, rho * rho);
}

/** log J₀(κ) and J₁/J₀ by Gauss–Legendre on [0, θ_max] in log-scaled form (no under/overflow). */
function angular(kappa: number, d: number, n: number): { logJ0: number; ratio: number } {
  const { x, w } = gaussLegendre(n);
  // with u = 2κ sin²(θ/2), the log-integrand ≈ ((d−2)/2) ln u − u peaks at u* = (d−2)/2; past
  // u = 56 + 2(d − 2) it is more than e^{−46} below its peak
  const cut = (28 + (d - 2)) / kappa;
  const thMax = cut >= 1 ? Math.PI : 2 * Math.asin(Math.sqrt(cut));
  const l = new Float64Array(n);
  let L = -Infinity;
  for (let i = 0; i < n; i++) {
    const th = ((x[i]! + 1) / 2) * thMax, sh = Math.sin(th / 2);
    l[i] = (d === 2 ? 0 : (d - 2) * Math.log(Math.sin(th))) - 2 * kappa * sh * sh;
    if (l[i]! > L) L = l[i]!;
  }
  let j0 = 0, j1 = 0;
  for (let i = 0; i < n; i++) {
    const th = ((x[i]! + 1) / 2) * thMax, v = w[i]! * Math.exp(l[i]! - L);
    j0 += v; j1 += v * Math.cos(th);
  }
  return { logJ0: L + Math.log((j0 * thMax) / 2), ratio: j1 / j0 };
}

/** ln of M S(t)^{M−1} h(t) t — the winner's density in y = ln t — plus m(t) and E‖c‖² given t. */
function node(t: number, rho: number, d: number, M: number, logC: number, nAng: number): { logW: number; m: number; e2: number; F: number } {
  const { p: F, q: S } = distanceCdf(t, rho, d);
  const st = Math.sqrt(t);
  const { logJ0, ratio } = angular(rho * st, d, nAng);
  const logS = F < 0.5 ? Math.log1p(-F) : Math.log(S);
  const logH = logC + ((d - 2) / 2) * Math.log(t) - 0.5 * (rho - st) ** 2 + logJ0;
  const logW = Math.log(M) + (M - 1) * logS + logH + Math.log(t);
  return { logW, m: rho - st * ratio, e2: rho * rho - 2 * rho * st * ratio + t, F };
}

/**
 * r_M(ρ), s_M(ρ) for a codebook of M i.i.d. N(0, α² I_d) codewords, by the exact integral.
 * Cost: a few hundred evaluations of the ncχ² distribution function (milliseconds).
 */
export function radialBiasExact(rho: number, d: number, M: number, alpha = 1, opts: RadialOptions = {}): RadialPoint {
  if (!(Number.isInteger(d) && d >= 2 && d <= 256)) throw new FedquantError("E_CONFIG", `radial bias: d must be an integer in 2..256, got ${d}`);
  if (!(Number.isInteger(M) && M >= 1)) throw new FedquantError("E_CONFIG", `radial bias: M must be a positive integer, got ${M}`);
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new FedquantError("E_CONFIG", `radial bias: α must be positive, got ${alpha}`);
  if (!(rho >= 0 && Number.isFinite(rho))) throw new FedquantError("E_INPUT", `radial bias: ρ must be finite and ≥ 0, got ${rho}`);
  const p = exactUnit(rho / alpha, d, M, opts.nodes ?? 192, opts.angleNodes ?? 64);
  return { r: alpha * p.r, s2: alpha * alpha * p.s2, z: p.z };
}

function exactUnit(rho: number, d: number, M: number, N: number, nAng: number): RadialPoint {
  const logC = -0.9189385332046728 - ((d - 1) / 2) * Math.LN2 - lgamma((d - 1) / 2);
  // range in y = ln t: below y_lo, M·F(t) < 1e-18 (the density there is ~ (d/2)·M·F); above
  // y_hi, S(t)^{M−1} < e^{−50} or S < 1e-17
  const center = Math.log(rho * rho + d);
  const lowOk = (y: number) => M * distanceCdf(Math.exp(y), rho, d).p < 1e-18;
  const highOk = (y: number) => {
    const { p, q } = distanceCdf(Math.exp(y), rho, d);
    return q < 1e-17 || (M - 1) * (p < 0.5 ? -Math.log1p(-p) : -Math.log(q)) > 50;
  };
  const yLo = bracket(center, -1, lowOk), yHi = bracket(center, +1, highOk);
  // a step ≤ 0.1 in ln t keeps the trapezoid error below 1e-12 even for d = 2 (wide range)
  N = Math.max(N, Math.ceil(10 * (yHi - yLo)) + 1);
  nAng = Math.max(nAng, Math.ceil(d / 2));
  const h = (yHi - yLo) / (N - 1);
  const logW = new Float64Array(N), m = new Float64Array(N), e2 = new Float64Array(N);
  let L = -Infinity;
  for (let i = 0; i < N; i++) {
    const v = node(Math.exp(yLo + i * h), rho, d, M, logC, nAng);
    logW[i] = v.logW; m[i] = v.m; e2[i] = v.e2;
    if (v.logW > L) L = v.logW;
  }
  let Z = 0, R = 0, S2 = 0;
  for (let i = 0; i < N; i++) {
    const w = (i === 0 || i === N - 1 ? 0.5 : 1) * Math.exp(logW[i]! - L);
    Z += w; R += w * m[i]!; S2 += w * e2[i]!;
  }
  return { r: R / Z, s2: S2 / Z, z: Z * h * Math.exp(L) };
}

/** The first y (from `start`, stepping by `dir`) where ok(y), refined by bisection to 1e-3. */
function bracket(start: number, dir: 1 | -1, ok: (y: number) => boolean): number {
  let inner = start, outer = start, step = 0.5;
  for (let i = 0; i < 200 && !ok(outer); i++) { inner = outer; outer += dir * step; step *= 1.5; }
  for (let i = 0; i < 40 && Math.abs(outer - inner) > 1e-3; i++) {
    const mid = (inner + outer) / 2;
    if (ok(mid)) outer = mid; else inner = mid;
  }
  return outer;
}

/** E[max of M standard normals] and E[max²]: the ρ → ∞ limits r_∞ and s_∞ − (d − 1) (α = 1). */
export function maxNormalMoments(M: number): { m1: number; m2: number } {
  // density M φ(a) Φ(a)^{M−1} on a grid fine enough for M ≤ 2^22 (its width is ≥ 0.1)
  const lo = -10, hi = 10, n = 8001, h = (hi - lo) / (n - 1);
  let z = 0, m1 = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    const a = lo + i * h;
    const w = Math.exp(Math.log(M) - 0.5 * a * a - 0.9189385332046728 + (M - 1) * Math.log(normalCdf(a)));
    z += w; m1 += w * a; m2 += w * a * a;
  }
  return { m1: m1 / z, m2: m2 / z };
}

// ---- tables -------------------------------------------------------------------------------

/** Table nodes in ρ/α: step 1/8 up to 2√d + 8, then ratio 1.08 up to RHO_TOP. */
export const RHO_TOP = 1024;
export function tableNodes(d: number): Float64Array {
  const nodes: number[] = [];
  const u = Math.ceil((2 * Math.sqrt(d) + 8) * 8) / 8;
  for (let i = 0; i * 0.125 <= u; i++) nodes.push(i * 0.125);
  for (let v = u * 1.08; v < RHO_TOP; v *= 1.08) nodes.push(v);
  nodes.push(RHO_TOP);
  return Float64Array.from(nodes);
}

/**
 * r_M and s_M over ρ for one (d, M), α = 1: nodes are computed lazily (and pre-filled from the
 * shipped tables for the default configurations), then interpolated by the Lagrange polynomial
 * through the 6 nearest nodes. Beyond RHO_TOP the O(1/ρ) approach to the ρ → ∞ limit is extrapolated.
 */
export class RadialTable {
  readonly nodes: Float64Array;
  readonly r: Float64Array;
  readonly s2: Float64Array;
  private limit: { m1: number; m2: number } | null = null;

  constructor(readonly d: number, readonly M: number, private readonly opts: RadialOptions = {}) {
    this.nodes = tableNodes(d);
    this.r = new Float64Array(this.nodes.length).fill(NaN);
    this.s2 = new Float64Array(this.nodes.length).fill(NaN);
    const shipped = RADIAL_TABLES[`${d}:${M}`];
    if (shipped && shipped.r.length === this.nodes.length) { this.r.set(shipped.r); this.s2.set(shipped.s2); }
  }

  private ensure(i: number): void {
    if (!Number.isNaN(this.r[i]!)) return;
    if (this.nodes[i] === 0) {
      // ρ = 0: no direction; E‖c*‖² is the mean of the smallest of M χ²_d
      const p = exactUnit(0, this.d, this.M, this.opts.nodes ?? 192, this.opts.angleNodes ?? 64);
      this.r[i] = 0; this.s2[i] = p.s2;
      return;
    }
    const p = exactUnit(this.nodes[i]!, this.d, this.M, this.opts.nodes ?? 192, this.opts.angleNodes ?? 64);
    this.r[i] = p.r; this.s2[i] = p.s2;
  }

  /** Fill every node (what the table script does). */
  fill(onNode?: (i: number) => void): this {
    for (let i = 0; i < this.nodes.length; i++) { this.ensure(i); onNode?.(i); }
    return this;
  }

  /** r_M(ρ) and s_M(ρ) for α = 1. */
  at(rho: number): { r: number; s2: number } {
    if (!(rho >= 0)) throw new FedquantError("E_INPUT", `radial bias at ρ = ${rho}`);
    const x = this.nodes, n = x.length;
    if (rho >= x[n - 1]!) {
      this.ensure(n - 1);
      this.limit ??= maxNormalMoments(this.M);
      const top = x[n - 1]!, f = top / rho;
      const rInf = this.limit.m1, sInf = this.limit.m2 + this.d - 1;
      return { r: rInf + (this.r[n - 1]! - rInf) * f, s2: sInf + (this.s2[n - 1]! - sInf) * f };
    }
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (x[mid]! <= rho) lo = mid; else hi = mid; }
    const i0 = Math.max(0, Math.min(n - K, lo - K / 2 + 1));
    for (let i = i0; i < i0 + K; i++) this.ensure(i);
    let r = 0, s2 = 0;
    for (let i = i0; i < i0 + K; i++) {
      let l = 1;
      for (let j = i0; j < i0 + K; j++) if (j !== i) l *= (rho - x[j]!) / (x[i]! - x[j]!);
      r += l * this.r[i]!; s2 += l * this.s2[i]!;
    }
    return { r, s2 };
  }
}

/** Interpolation order: the Lagrange polynomial through the K nearest nodes (error ~1e-9 at K = 6). */
const K = 6;

const tables = new Map<string, RadialTable>();

/** The cached table of (d, M) (α = 1). */
export function radialTable(d: number, M: number): RadialTable {
  const key = `${d}:${M}`;
  let t = tables.get(key);
  if (!t) { t = new RadialTable(d, M); tables.set(key, t); }
  return t;
}

/** r_M(ρ) for codewords N(0, α² I_d), from the cached table: α · r(ρ/α; α = 1). */
export function radialBias(rho: number, d: number, M: number, alpha = 1): number {
  return alpha * radialTable(d, M).at(rho / alpha).r;
}

/** s_M(ρ) = E‖c_{j*}‖² for codewords N(0, α² I_d), from the cached table. */
export function radialSecondMoment(rho: number, d: number, M: number, alpha = 1): number {
  return alpha * alpha * radialTable(d, M).at(rho / alpha).s2;
}
