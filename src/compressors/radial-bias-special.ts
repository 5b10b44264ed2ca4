// Special functions for the StoVoQ radial bias (spec/stovoq.md "The radial bias"): log Γ,
// the regularised incomplete gamma P/Q, χ² and non-central χ² densities and distribution
// functions, Gauss–Legendre nodes. All f64; every tail is computed on its accurate side
// (P for the lower tail, Q for the upper), since S(t)^(M−1) with M ~ 10^4 needs F = 1 − S to
// full relative precision when it is tiny.

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
const LOG_SQRT_2PI = 0.9189385332046728;

/** ln Γ(x) for x > 0 (Lanczos g = 7, n = 9; relative error ~1e-15). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularised incomplete gamma: P(a, x) = γ(a, x)/Γ(a) and Q = 1 − P, each to full relative
 * precision on its small side: the series for x < a + 1 (P accurate), Lentz's continued fraction
 * otherwise (Q accurate). Numerical Recipes §6.2, with the prefactor in log space.
 */
export function gammaPQ(a: number, x: number): { p: number; q: number } {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaPQ needs a > 0, x ≥ 0 (got a = ${a}, x = ${x})`);
  if (x === 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const logPre = a * Math.log(x) - x - lgamma(a);
  if (x < a + 1) {
    let ap = a, del = 1 / a, sum = del;
    for (let n = 0; n < 100000; n++) {
      ap += 1; del *= x / ap; sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    const p = Math.exp(logPre + Math.log(sum));
    return { p: Math.min(1, p), q: Math.max(0, 1 - p) };
  }
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.exp(logPre + Math.log(h));
  return { p: Math.max(0, 1 - q), q: Math.min(1, q) };
}

/** log of the χ²_ν density at x > 0. */
export function chi2LogPdf(x: number, nu: number): number {
  return (nu / 2 - 1) * Math.log(x) - x / 2 - (nu / 2) * Math.LN2 - lgamma(nu / 2);
}

/** χ²_ν density (ν > 0). */
export function chi2Pdf(x: number, nu: number): number {
  if (x < 0) return 0;
  if (x === 0) return nu < 2 ? Infinity : nu === 2 ? 0.5 : 0;
  return Math.exp(chi2LogPdf(x, nu));
}

let lastPoisson: { mu: number; kLo: number; w: Float64Array } | null = null;

/** Poisson(μ) weights w_k over the k-range where w_k > 1e-18 · max: [kLo, kLo + w.length). Caches the last μ. */
function poissonWeights(mu: number): { kLo: number; w: Float64Array } {
  if (lastPoisson?.mu === mu) return lastPoisson;
  const r = poissonWeightsOf(mu);
  lastPoisson = { mu, ...r };
  return r;
}

function poissonWeightsOf(mu: number): { kLo: number; w: Float64Array } {
  if (mu === 0) return { kLo: 0, w: new Float64Array([1]) };
  const mode = Math.floor(mu);
  const logWm = -mu + mode * Math.log(mu) - lgamma(mode + 1);
  const up: number[] = [], down: number[] = [];
  let w = 1; // relative to the mode
  for (let k = mode + 1; ; k++) { w *= mu / k; if (w < 1e-18) break; up.push(w); }
  w = 1;
  for (let k = mode; k > 0; k--) { w *= k / mu; if (w < 1e-18) break; down.push(w); }
  const kLo = mode - down.length;
  const out = new Float64Array(down.length + 1 + up.length);
  const scale = Math.exp(logWm);
  for (let i = 0; i < down.length; i++) out[down.length - 1 - i] = down[i]! * scale;
  out[down.length] = scale;
  for (let i = 0; i < up.length; i++) out[down.length + 1 + i] = up[i]! * scale;
  return { kLo, w: out };
}

/**
 * Non-central χ²_ν(λ) distribution function at x, as the Poisson(λ/2) mixture of central χ²_{ν+2k}:
 * F = Σ_k w_k P(ν/2 + k, x/2) and S = Σ_k w_k Q(ν/2 + k, x/2). Both sums use the stable direction of
 * the recurrence D(a) = (x/2)^a e^{−x/2}/Γ(a+1): P(a) = P(a+1) + D(a) going down in k (all terms
 * added) and Q(a+1) = Q(a) + D(a) going up, so F and S are each accurate to ~1e-15 relative.
 */
export function ncChi2Cdf(x: number, nu: number, lambda: number): { p: number; q: number } {
  if (!(nu > 0) || !(lambda >= 0)) throw new RangeError(`ncChi2Cdf needs ν > 0, λ ≥ 0 (got ${nu}, ${lambda})`);
  if (!(x > 0)) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const { kLo, w } = poissonWeights(lambda / 2);
  const n = w.length, h = x / 2, lh = Math.log(h);
  const aLo = nu / 2 + kLo, aHi = aLo + n - 1;
  // F: from the top down
  let P = gammaPQ(aHi, h).p;
  let F = w[n - 1]! * P;
  let logD = aHi * lh - h - lgamma(aHi + 1); // log D(aHi)
  for (let i = n - 2; i >= 0; i--) {
    const a = aLo + i; // P(a) = P(a + 1) + D(a), log D(a) = log D(a + 1) + ln(a + 1) − ln h
    logD += Math.log(a + 1) - lh;
    P += Math.exp(logD);
    F += w[i]! * Math.min(1, P);
  }
  // S: from the bottom up
  let Q = gammaPQ(aLo, h).q;
  let S = w[0]! * Q;
  logD = aLo * lh - h - lgamma(aLo + 1);
  for (let i = 1; i < n; i++) {
    Q += Math.exp(logD); // Q(a + 1) = Q(a) + D(a)
    S += w[i]! * Math.min(1, Q);
    logD += lh - Math.log(aLo + i);
  }
  return F < 0.5 ? { p: F, q: 1 - F } : { p: 1 - S, q: S };
}

/** Non-central χ²_ν(λ) density at x > 0 (Poisson mixture of χ²_{ν+2k} densities, in log space). */
export function ncChi2Pdf(x: number, nu: number, lambda: number): number {
  if (!(x > 0)) return 0;
  const { kLo, w } = poissonWeights(lambda / 2);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * Math.exp(chi2LogPdf(x, nu + 2 * (kLo + i)));
  return s;
}

/** Standard normal lower tail Φ(z), accurate in both tails (via Q(½, z²/2)). */
export function normalCdf(z: number): number {
  if (z === 0) return 0.5;
  const q = 0.5 * gammaPQ(0.5, (z * z) / 2).q; // P(Z > |z|)
  return z < 0 ? q : 1 - q;
}

const glCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n; cached). */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const hit = glCache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5)), pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1, p2 = 0;
      for (let j = 1; j <= n; j++) { const p3 = p2; p2 = p1; p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j; }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = -z; x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  const out = { x, w };
  glCache.set(n, out);
  return out;
}
