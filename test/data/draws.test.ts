// Gamma and Dirichlet draws behind the Dirichlet label split: moments and normalisation.
import { describe, expect, it } from "vitest";
import { Draws } from "../../src/data/index.js";
import { RandomStream } from "../../src/random/index.js";
import { meanAndStd } from "./stats.js";

describe("Draws", () => {
  it.each([0.3, 1, 4.5])("Gamma(%s) has mean and variance equal to the shape", (shape) => {
    const draws = new Draws(RandomStream.of(8, "test"));
    const xs = Array.from({ length: 20000 }, () => draws.gamma(shape));
    const { mean, std } = meanAndStd(xs);
    // s.e. of the mean √(k/20000); of the variance ≈ k·√((2 + 6/k)/20000) (Gamma excess kurtosis 6/k)
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / 20000));
    expect(Math.abs(std * std - shape)).toBeLessThan(5 * shape * Math.sqrt((2 + 6 / shape) / 20000));
  });

  it("Dirichlet draws are probability vectors", () => {
    const draws = new Draws(RandomStream.of(9, "test"));
    for (const alpha of [0.01, 1, 100]) {
      const q = draws.dirichlet(7, alpha);
      expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const v of q) expect(v).toBeGreaterThanOrEqual(0);
    }
  });
});
