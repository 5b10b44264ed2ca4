// The StoVoQ radial bias (issue #3 item 3): special functions against known values, the exact
// integral against closed forms and Monte Carlo over many codebooks, the shipped tables against
// a recomputation, and the interpolation against the exact integral between nodes.
import { describe, expect, it } from "vitest";
import { radialBiasExact, RadialTable, tableNodes, maxNormalMoments, RHO_TOP } from "../../src/compressors/radial-bias.js";
import { chi2Pdf, gammaPQ, gaussLegendre, lgamma, ncChi2Cdf, ncChi2Pdf, normalCdf } from "../../src/compressors/radial-bias-special.js";
import { RADIAL_TABLES } from "../../src/compressors/tables/radial-tables.js";
import { FedquantError } from "../../src/errors.js";
import { loadKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";

describe("special functions", () => {
  it("lgamma matches factorials and Γ(½) = √π to 1e-14", () => {
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lgamma(11)).toBeCloseTo(Math.log(3628800), 13);
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(100)).toBeCloseTo(359.13420536957540, 11); // ln 99!
  });

  it("gammaPQ gives both tails to full relative precision (exponential and χ²_2 cases)", () => {
    expect(gammaPQ(1, 1e-6).p / -Math.expm1(-1e-6)).toBeCloseTo(1, 13);
    expect(gammaPQ(1, 40).q / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 10);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
  });

  it("the non-central χ² distribution function is the integral of its density, in both tails", () => {
    for (const [x, nu, lam] of [[5, 16, 9], [0.5, 16, 9], [60, 16, 9], [1e-3, 2, 100], [300, 16, 256]] as const) {
      // Simpson on 4000 panels of the mixture density
      const n = 4000, h = x / n;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const a = i * h;
        s += (h / 6) * (ncChi2Pdf(a, nu, lam) + 4 * ncChi2Pdf(a + h / 2, nu, lam) + ncChi2Pdf(a + h, nu, lam));
      }
      const { p, q } = ncChi2Cdf(x, nu, lam);
      expect(Math.abs(p - s) / s).toBeLessThan(1e-9);
      expect(p + q).toBeCloseTo(1, 14);
    }
  });

  it("the non-central χ² reduces to the central one at λ = 0 and has the right mean", () => {
    expect(ncChi2Cdf(3, 4, 0).p).toBeCloseTo(gammaPQ(2, 1.5).p, 15);
    expect(ncChi2Pdf(3, 4, 0)).toBeCloseTo(chi2Pdf(3, 4), 15);
    // E = ν + λ by Gauss–Legendre on [0, 200]
    const { x, w } = gaussLegendre(200);
    let m = 0;
    for (let i = 0; i < x.length; i++) { const t = 100 * (x[i]! + 1); m += 100 * w[i]! * t * ncChi2Pdf(t, 6, 20); }
    expect(m).toBeCloseTo(26, 8);
  });
});

describe("the exact radial integral", () => {
  it("integrates the winner's density to 1 (so h = −S′ and the quadrature agree) to 1e-9", () => {
    for (const [rho, d, M] of [[0, 16, 8192], [1, 16, 8192], [4, 16, 8192], [8, 16, 64], [3, 2, 64], [2, 64, 256], [300, 16, 8192]] as const) {
      expect(Math.abs(radialBiasExact(rho, d, M).z - 1)).toBeLessThan(1e-9);
    }
  });

  it("matches closed forms: r = 0 at ρ = 0; M = 1 gives r = 0 and E‖c‖² = d; d = 2 gives E‖c*(0)‖² = 2/M", () => {
    expect(Math.abs(radialBiasExact(0, 16, 8192).r)).toBeLessThan(1e-12);
    const one = radialBiasExact(3, 8, 1);
    expect(Math.abs(one.r)).toBeLessThan(1e-10);
    expect(one.s2).toBeCloseTo(8, 9);
    expect(radialBiasExact(0, 2, 4).s2).toBeCloseTo(0.5, 12);
    expect(radialBiasExact(0, 2, 1000).s2).toBeCloseTo(0.002, 12);
  });

  it("scales with α: r(ρ; α) = α r(ρ/α; 1), s(ρ; α) = α² s(ρ/α; 1)", () => {
    const a = radialBiasExact(3, 16, 256, 1.5), b = radialBiasExact(2, 16, 256, 1);
    expect(a.r).toBeCloseTo(1.5 * b.r, 12);
    expect(a.s2).toBeCloseTo(2.25 * b.s2, 11);
  });

  it("converges: doubling both quadratures changes r by < 1e-10", () => {
    for (const [rho, d, M] of [[2.5, 16, 8192], [6, 8, 256]] as const) {
      const a = radialBiasExact(rho, d, M), b = radialBiasExact(rho, d, M, 1, { nodes: 400, angleNodes: 128 });
      expect(Math.abs(a.r - b.r)).toBeLessThan(1e-10);
      expect(Math.abs(a.s2 - b.s2)).toBeLessThan(1e-9);
    }
  });

  it("is increasing in ρ, below ρ, and approaches E[max of M normals] as ρ → ∞", () => {
    const t = new RadialTable(16, 256);
    let prev = 0;
    for (const rho of [0.5, 1, 2, 4, 8, 16, 64, 256]) {
      const r = t.at(rho).r;
      expect(r).toBeGreaterThan(prev);
      expect(r).toBeLessThan(rho);
      prev = r;
    }
    const lim = maxNormalMoments(256).m1;
    expect(t.at(RHO_TOP).r).toBeLessThan(lim);
    expect(lim - t.at(RHO_TOP).r).toBeLessThan(0.01);
    expect(t.at(1e7).r).toBeCloseTo(lim, 4);
  });

  // Monte Carlo over N independent codebooks (one Philox stream, N·M·d normals from the wasm
  // fill, brute-force nearest codeword in f64): r̂ and ŝ with standard errors sd/√N; pass within
  // 4.5 SE (two-sided false-alarm probability ≈ 7e-6 per comparison).
  it.each([[0.5, 8, 64, 20000], [2.5, 8, 64, 20000], [5, 8, 64, 20000], [4, 16, 256, 5000]] as const)("agrees with Monte Carlo over many codebooks (ρ = %f, d = %i, M = %i, %i codebooks)", async (rho, d, M, N) => {
    const k = await loadKernel({ flavour: "simd" });
    const z = k.fillNormal(RandomStream.of(99, "test", Math.round(rho * 10), d), new Float32Array(N * M * d));
    let s1 = 0, s11 = 0, s2 = 0, s22 = 0;
    for (let n = 0; n < N; n++) {
      let best = Infinity, bj = 0;
      const base = n * M * d;
      for (let j = 0; j < M; j++) {
        let s = 0;
        const o = base + j * d;
        s += (z[o]! - rho) ** 2;
        for (let k = 1; k < d; k++) s += z[o + k]! ** 2;
        if (s < best) { best = s; bj = j; }
      }
      const o = base + bj * d;
      let nn = 0;
      for (let k = 0; k < d; k++) nn += z[o + k]! ** 2;
      s1 += z[o]!; s11 += z[o]! ** 2; s2 += nn; s22 += nn * nn;
    }
    const r = s1 / N, se1 = Math.sqrt((s11 / N - r * r) / N);
    const q = s2 / N, se2 = Math.sqrt((s22 / N - q * q) / N);
    const exact = radialBiasExact(rho, d, M);
    expect(Math.abs(r - exact.r)).toBeLessThan(4.5 * se1);
    expect(Math.abs(q - exact.s2)).toBeLessThan(4.5 * se2);
  });

  it("rejects bad arguments with FedquantError", () => {
    expect(() => radialBiasExact(1, 1, 16)).toThrow(FedquantError);
    expect(() => radialBiasExact(1, 16, 0)).toThrow(FedquantError);
    expect(() => radialBiasExact(-1, 16, 16)).toThrow(FedquantError);
    expect(() => radialBiasExact(NaN, 16, 16)).toThrow(FedquantError);
    expect(() => radialBiasExact(1, 16, 16, 0)).toThrow(FedquantError);
  });
});

describe("tables", () => {
  it("ship the default configurations (d = 16, M = 2^13 among them) on the current node grid", () => {
    const t = RADIAL_TABLES["16:8192"];
    expect(t).toBeDefined();
    expect(t!.r.length).toBe(tableNodes(16).length);
    for (const [key, v] of Object.entries(RADIAL_TABLES)) {
      const d = Number(key.split(":")[0]);
      expect(v.r.length).toBe(tableNodes(d).length);
      expect(v.s2.length).toBe(tableNodes(d).length);
    }
  });

  it("match a recomputation of a few nodes of the shipped tables to 1e-10", () => {
    for (const [key, idx] of [["16:8192", [3, 40, 120, 183]], ["8:64", [1, 30, 100]], ["32:65536", [50]]] as const) {
      const [d, M] = key.split(":").map(Number) as [number, number];
      const nodes = tableNodes(d);
      for (const i of idx) {
        const p = radialBiasExact(nodes[i]!, d, M);
        expect(Math.abs(RADIAL_TABLES[key]!.r[i]! - p.r)).toBeLessThan(1e-10 * Math.max(1, p.r));
        expect(Math.abs(RADIAL_TABLES[key]!.s2[i]! - p.s2)).toBeLessThan(1e-10 * Math.max(1, p.s2));
      }
    }
  });

  it("interpolate between nodes to 1e-7 relative of the exact integral", () => {
    const t = new RadialTable(16, 8192);
    for (const rho of [0.03, 0.4, 1.2345, 3.3, 7.77, 15.9, 20, 100, 700]) {
      const e = radialBiasExact(rho, 16, 8192), v = t.at(rho);
      expect(Math.abs(v.r - e.r) / e.r).toBeLessThan(1e-7);
      expect(Math.abs(v.s2 - e.s2) / e.s2).toBeLessThan(1e-7);
    }
  });

  it("fill lazily for configurations that are not shipped (d = 5, M = 40)", () => {
    const t = new RadialTable(5, 40);
    expect(t.r.every(Number.isNaN)).toBe(true);
    const v = t.at(2);
    expect(t.r.filter((x) => !Number.isNaN(x)).length).toBe(6);
    expect(v.r).toBeCloseTo(radialBiasExact(2, 5, 40).r, 7);
  });
});
