// Every model's analytic gradient against central finite differences, full batch and minibatch,
// with a ridge; and the gradSum / lossSum sums against the means.
import { describe, expect, it } from "vitest";
import { gaussianMean, leastSquares, logistic, mlp, initMlp, softmax, squaredNorm } from "../../src/models/index.js";
import type { Dataset, ExactObjective } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";
import { maxAbs, maxAbsDiff, numericGrad, randomDataset, randomVector } from "./helpers.js";

const n = 40, p = 6, C = 4;
const rows = [3, 17, 17, 0, 39, 22, 8]; // a minibatch, with a repeated row on purpose
const ridge = 0.3;

interface Case { name: string; obj: ExactObjective; data: Dataset; w: Float64Array }
const cases: Case[] = [
  { name: "lsr", obj: leastSquares({ p, ridge }), data: randomDataset(n, p, 1, (u) => 4 * u - 2), w: randomVector(p, 11) },
  { name: "logistic", obj: logistic({ p, ridge }), data: randomDataset(n, p, 2, (u) => (u < 0.5 ? -1 : 1)), w: randomVector(p, 12) },
  { name: "softmax", obj: softmax({ p, classes: C, ridge }), data: randomDataset(n, p, 3, (u) => Math.floor(u * C)), w: randomVector(C * p, 13) },
  { name: "gaussian", obj: gaussianMean({ p, ridge }), data: randomDataset(n, p, 4, () => 0), w: randomVector(p, 14) },
];
for (const activation of ["tanh", "relu"] as const) {
  const model = mlp({ p, hidden: 5, classes: C, ridge, activation });
  const w = initMlp(model, RandomStream.of(15, "init"));
  // non-zero biases so the test also exercises the bias gradients
  for (let i = model.layout.b1; i < model.layout.w2; i++) w[i] = 0.1 * (i % 3 - 1);
  for (let i = model.layout.b2; i < model.dim; i++) w[i] = 0.2 * (i % 2);
  cases.push({ name: `mlp-${activation}`, obj: model, data: randomDataset(n, p, 5, (u) => Math.floor(u * C)), w });
}

describe.each(cases)("$name", ({ obj, data, w }) => {
  // Central differences with h = 1e-5 have truncation error ~h²·|f'''| ≈ 1e-10 and rounding
  // error ~ε|f|/h ≈ 1e-11, so 1e-6 leaves a wide margin while catching any wrong term.
  // (relu: a kink within h of a sample has probability ~1e-5 per unit; the seed avoids it.)
  it("full-batch gradient matches central finite differences", () => {
    const g = obj.grad(w, data, new Float64Array(obj.dim));
    expect(maxAbsDiff(g, numericGrad(obj, w, data))).toBeLessThan(1e-6 * Math.max(1, maxAbs(g)));
  });

  it("minibatch gradient matches central finite differences on the same rows", () => {
    const g = obj.grad(w, data, new Float64Array(obj.dim), rows);
    expect(maxAbsDiff(g, numericGrad(obj, w, data, rows))).toBeLessThan(1e-6 * Math.max(1, maxAbs(g)));
  });

  it("gradSum is m·(grad − λw): the data term summed, without the ridge", () => {
    const g = obj.grad(w, data, new Float64Array(obj.dim), rows);
    const s = obj.gradSum(w, data, new Float64Array(obj.dim), rows);
    const expected = g.map((gj, j) => rows.length * (gj - ridge * w[j]!));
    expect(maxAbsDiff(s, expected)).toBeLessThan(1e-10 * Math.max(1, maxAbs(s)));
  });

  it("gradSum over all rows is n·grad when the ridge is zero", () => {
    const w0 = Float64Array.from(w);
    const g = obj.grad(w0, data, new Float64Array(obj.dim));
    const s = obj.gradSum(w0, data, new Float64Array(obj.dim));
    const ridgeFree = g.map((gj, j) => n * (gj - ridge * w0[j]!));
    expect(maxAbsDiff(s, ridgeFree)).toBeLessThan(1e-10 * Math.max(1, maxAbs(s)));
  });

  it("lossSum is m·(loss − λ‖w‖²/2)", () => {
    const l = obj.loss(w, data, rows);
    expect(obj.lossSum(w, data, rows)).toBeCloseTo(rows.length * (l - 0.5 * ridge * squaredNorm(w)), 9);
  });

  it("grad returns the out array it was given", () => {
    const out = new Float64Array(obj.dim);
    expect(obj.grad(w, data, out)).toBe(out);
  });
});
