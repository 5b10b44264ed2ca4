// Mixing diagnostics (spec/langevin.md "Output"): effective sample size by Geyer's (1992)
// initial-monotone-sequence estimator, pooled over chains as in Stan (Gelman et al., BDA3, ch. 11;
// Vehtari et al. 2021 eq. (10)–(11), without rank normalisation), or by batch means; and split R̂.
import { FedquantError } from "../errors.js";
import { autocovariance } from "./fft.js";

function checkChains(what: string, chains: readonly ArrayLike<number>[], minLen: number): number {
  if (chains.length === 0) throw new FedquantError("E_INPUT", `${what}: no chains`);
  const n = chains[0]!.length;
  if (n < minLen) throw new FedquantError("E_INPUT", `${what}: chains need at least ${minLen} draws, got ${n}`);
  for (const c of chains) if (c.length !== n) throw new FedquantError("E_DIM", `${what}: chains have different lengths (${n} and ${c.length})`);
  return n;
}

function meanVar(x: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return [m, s / (x.length - 1)];
}

/**
 * ESS = M·n / τ̂ with τ̂ = −1 + 2 Σ_{t} P̂_t, P̂_t = ρ̂_{2t} + ρ̂_{2t+1} summed while positive and made
 * monotone (Geyer's initial monotone sequence). ρ̂_t = 1 − (W − mean_c γ̂_t^c)/var⁺ pools the chains'
 * autocovariances; for one chain ρ̂_t is its autocorrelation. May exceed M·n (antithetic chains).
 * A constant chain returns NaN.
 */
export function essImse(chains: readonly ArrayLike<number>[]): number {
  const n = checkChains("essImse", chains, 4);
  const M = chains.length;
  const acov = chains.map((c) => autocovariance(c));
  const mv = chains.map(meanVar);
  const W = mv.reduce((s, [, v]) => s + v, 0) / M;
  let varPlus = ((n - 1) / n) * W;
  if (M > 1) {
    const mm = mv.reduce((s, [m]) => s + m, 0) / M;
    const B = (n / (M - 1)) * mv.reduce((s, [m]) => s + (m - mm) ** 2, 0);
    varPlus += B / n;
  }
  if (!(varPlus > 0)) return NaN;
  const rho = (t: number) => {
    let a = 0;
    for (const g of acov) a += g[t]!;
    return 1 - (W - a / M) / varPlus;
  };
  let tau = -1, prev = Infinity;
  for (let t = 0; t + 1 < n; t += 2) {
    let p = rho(t) + rho(t + 1);
    if (p <= 0) break;
    if (p > prev) p = prev; // monotone
    tau += 2 * p;
    prev = p;
  }
  return (M * n) / tau;
}

/**
 * Batch-means ESS of one chain: n·s² / σ̂²_BM with σ̂²_BM = B·Var(batch means), B = ⌊√n⌋ draws per
 * batch (Flegal & Jones 2010). Cheaper and cruder than essImse.
 */
export function essBatchMeans(x: ArrayLike<number>, batchSize = Math.floor(Math.sqrt(x.length))): number {
  const n = checkChains("essBatchMeans", [x], 4);
  const B = batchSize, a = Math.floor(n / B);
  if (!(Number.isInteger(B) && B >= 1 && a >= 2)) throw new FedquantError("E_INPUT", `essBatchMeans: batch size ${B} leaves ${a} batches of ${n} draws; need ≥ 2`);
  const means = new Float64Array(a);
  for (let k = 0; k < a; k++) {
    let s = 0;
    for (let i = k * B; i < (k + 1) * B; i++) s += x[i]!;
    means[k] = s / B;
  }
  const [, s2] = meanVar(x);
  const [, vb] = meanVar(means);
  return s2 === 0 ? NaN : (n * s2) / (B * vb);
}

/**
 * Split R̂ (Gelman et al., BDA3, ch. 11): each chain is cut in two halves (the middle draw dropped when
 * n is odd), then R̂ = √(var⁺ / W) over the 2M half-chains. ≈ 1 when mixed; > 1.1 is the usual alarm.
 */
export function splitRhat(chains: readonly ArrayLike<number>[]): number {
  const n = checkChains("splitRhat", chains, 4);
  const h = Math.floor(n / 2);
  const halves: ArrayLike<number>[] = [];
  for (const c of chains) {
    const arr = Array.from(c);
    halves.push(arr.slice(0, h), arr.slice(n - h));
  }
  const mv = halves.map(meanVar);
  const M = halves.length;
  const W = mv.reduce((s, [, v]) => s + v, 0) / M;
  const mm = mv.reduce((s, [m]) => s + m, 0) / M;
  const B = (h / (M - 1)) * mv.reduce((s, [m]) => s + (m - mm) ** 2, 0);
  const varPlus = ((h - 1) / h) * W + B / h;
  return W === 0 ? NaN : Math.sqrt(varPlus / W);
}

/** Column j of each chain's draws (rows = draws of dimension d, row-major). */
export function coordinate(draws: readonly Float64Array[], j: number): Float64Array {
  return Float64Array.from(draws, (x) => x[j]!);
}

export interface ChainDiagnostics {
  /** per coordinate */
  ess: Float64Array;
  rhat: Float64Array;
  minEss: number;
  maxRhat: number;
}

/** essImse and splitRhat of every listed coordinate, from each chain's kept draws. */
export function diagnose(chains: readonly (readonly Float64Array[])[], coords?: readonly number[]): ChainDiagnostics {
  if (chains.length === 0 || chains[0]!.length === 0) throw new FedquantError("E_INPUT", "diagnose: no draws");
  const d = chains[0]![0]!.length;
  const js = coords ?? Array.from({ length: d }, (_, j) => j);
  const ess = new Float64Array(js.length), rhat = new Float64Array(js.length);
  js.forEach((j, k) => {
    const cs = chains.map((c) => coordinate(c, j));
    ess[k] = essImse(cs);
    rhat[k] = chains.length * cs[0]!.length >= 4 ? splitRhat(cs) : NaN;
  });
  return { ess, rhat, minEss: Math.min(...ess.filter((v) => !Number.isNaN(v))), maxRhat: Math.max(...rhat.filter((v) => !Number.isNaN(v))) };
}
