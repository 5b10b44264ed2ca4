// MALA, the full-data reference sampler (E4's logistic regression reference), and findMode.
import { beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { essImse, findMode, mala, potentialGrad, sampleChain, Welford } from "../../src/sampling/index.js";
import { logisticModel, mean, toyModel } from "./helpers.js";

beforeAll(async () => { await ready(); });

describe("MALA on the toy Gaussian", () => {
  it("has no discretisation bias: at γN = 1, where the unadjusted chain's variance is 2/N, it estimates 1/N", () => {
    const d = 5, n = 20_000;
    const { toy, model } = toyModel(2, d, 50, 5);
    const N = model.totalRows;
    const chain = mala(model, { stepSize: 1 / N }).init({ seed: 3, theta0: toy.posteriorMean });
    const draws: Float64Array[] = [];
    const w = new Welford(d);
    for (const s of sampleChain(chain, { samples: n, burnIn: 100 })) { w.push(s.theta); draws.push(s.theta); }
    expect(chain.acceptanceRate).toBeGreaterThan(0.2);
    // tolerances from the chain's own ESS (essImse): the mean within 4.5 se per coordinate, the
    // pooled variance within 4 sd of a variance estimate whose squares have ESS_sq
    for (let j = 0; j < d; j++) {
      const xs = draws.map((x) => x[j]!);
      const se = Math.sqrt(1 / N / essImse([xs]));
      expect(Math.abs(w.mean[j]! - toy.posteriorMean[j]!)).toBeLessThan(4.5 * se);
    }
    const essSq = mean(Array.from({ length: d }, (_, j) => essImse([draws.map((x) => (x[j]! - w.mean[j]!) ** 2)])));
    const tol = 4 * Math.sqrt(2 / essSq / d);
    expect(Math.abs(mean(w.variance()) * N - 1)).toBeLessThan(tol);
    expect(tol).toBeLessThan(0.5); // the test can tell 1/N from the unadjusted 2/N
  });

  it("adapts its step toward acceptance 0.574 during the adaptation steps only", () => {
    const { model } = toyModel(2, 5, 50, 5);
    const chain = mala(model, { stepSize: 1e-6, adapt: 2000 }).init({ seed: 1 });
    for (let k = 0; k < 2000; k++) chain.step();
    const adapted = chain.stepSize;
    expect(adapted).toBeGreaterThan(1e-4); // grew from 1e-6 toward ~1/N
    for (let k = 0; k < 3000; k++) chain.step();
    expect(chain.stepSize).toBe(adapted);
    expect(Math.abs(chain.acceptanceRate - 0.574)).toBeLessThan(0.1);
  });
});

describe("findMode", () => {
  it("finds ȳ on the toy Gaussian", () => {
    const { toy, model } = toyModel(3, 4, 20, 1);
    const r = findMode(model);
    expect(r.converged).toBe(true);
    for (let j = 0; j < 4; j++) expect(r.theta[j]).toBeCloseTo(toy.posteriorMean[j]!, 9);
  });

  it("drives ‖∇U‖ below tol·N on Bayesian logistic regression", () => {
    const model = logisticModel(5, 40, 2);
    const r = findMode(model);
    expect(r.converged).toBe(true);
    const g = potentialGrad(model, r.theta);
    expect(Math.hypot(...g)).toBeLessThanOrEqual(1e-9 * model.totalRows);
  });
});
