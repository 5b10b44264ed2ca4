// E4's toy Gaussian: the exact posterior and the stated client-mean and noise distributions.
import { describe, expect, it } from "vitest";
import { gaussianToy } from "../../src/data/index.js";
import { meanAndStd } from "./stats.js";

describe("gaussianToy", () => {
  const toy = gaussianToy({ seed: 9 }); // 20 clients × 200 points, d = 50, spread 5

  it("is deterministic for a fixed seed and changes with the seed", () => {
    expect(gaussianToy({ seed: 9 }).clients).toEqual(toy.clients);
    expect(gaussianToy({ seed: 10, clients: 1 }).clients[0]!.X).not.toEqual(toy.clients[0]!.X);
  });

  it("gives the exact flat-prior posterior: mean ȳ over all points, variance 1/N_total", () => {
    const sum = new Float64Array(50);
    for (const d of toy.clients) for (let r = 0; r < d.n; r++) for (let j = 0; j < 50; j++) sum[j] += d.X[r * 50 + j]!;
    for (let j = 0; j < 50; j++) expect(toy.posteriorMean[j]).toBeCloseTo(sum[j]! / 4000, 12);
    expect(toy.posteriorVariance).toBe(1 / 4000);
  });

  it("observations are μ_i + N(0, I): residuals have mean 0 and variance 1", () => {
    const res: number[] = [];
    toy.clients.forEach((d, i) => {
      for (let r = 0; r < d.n; r++) for (let j = 0; j < 50; j++) res.push(d.X[r * 50 + j]! - toy.means[i]![j]!);
    });
    // 200 000 residuals: s.e. of the mean 0.0022, of the std 0.0016
    const { mean, std } = meanAndStd(res);
    expect(Math.abs(mean)).toBeLessThan(0.011);
    expect(Math.abs(std - 1)).toBeLessThan(0.008);
  });

  it("client means are N(0, 5² I) (heterogeneous clients)", () => {
    // 1000 values: s.e. of the variance 25·√(2/1000) = 1.1, of the mean 5/√1000 = 0.16
    const { mean, std } = meanAndStd(toy.means.flatMap((m) => Array.from(m)));
    expect(Math.abs(mean)).toBeLessThan(0.8);
    expect(Math.abs(std * std - 25)).toBeLessThan(5.5);
  });
});
