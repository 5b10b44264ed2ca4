// Argument validation shared by every objective: dimensions, row indices, labels, options.
import { describe, expect, it } from "vitest";
import { leastSquares, mlp, softmax } from "../../src/models/index.js";
import { randomDataset, randomVector } from "./helpers.js";

const data = randomDataset(5, 3, 1, (u) => u);

describe("objective argument checks", () => {
  it("throws E_DIM when w has the wrong length", () => {
    expect(() => leastSquares({ p: 3 }).loss(new Float64Array(4), data)).toThrow(/E_DIM.*w has length 4/);
  });
  it("throws E_DIM when out has the wrong length", () => {
    expect(() => leastSquares({ p: 3 }).grad(new Float64Array(3), data, new Float64Array(2))).toThrow(/E_DIM.*out/);
  });
  it("throws E_DIM when the data have a different number of features", () => {
    expect(() => leastSquares({ p: 2 }).loss(new Float64Array(2), data)).toThrow(/E_DIM.*p = 3/);
  });
  it("throws E_DIM for a row index outside [0, n) instead of returning NaN", () => {
    expect(() => leastSquares({ p: 3 }).loss(new Float64Array(3), data, [0, 5])).toThrow(/E_DIM.*rows\[1\] = 5/);
  });
  it("throws E_DIM for an empty minibatch", () => {
    expect(() => leastSquares({ p: 3 }).loss(new Float64Array(3), data, [])).toThrow(/E_DIM.*empty/);
  });
  it("throws E_INPUT for a class label outside 0..C−1", () => {
    const d = { ...data, y: Float64Array.of(0, 1, 2, 3, 1) };
    expect(() => softmax({ p: 3, classes: 3 }).loss(new Float64Array(9), d)).toThrow(/E_INPUT.*row 3 has label 3/);
  });
  it("throws E_CONFIG for a negative ridge or a non-integer size", () => {
    expect(() => leastSquares({ p: 3, ridge: -1 })).toThrow(/E_CONFIG/);
    expect(() => mlp({ p: 3, hidden: 2.5, classes: 2 })).toThrow(/E_CONFIG/);
  });
  it("classifier probabilities are rows of a stochastic matrix", () => {
    const d = { ...data, y: Float64Array.of(0, 1, 2, 1, 0) };
    const model = mlp({ p: 3, hidden: 4, classes: 3 });
    const pr = model.predictProba(randomVector(model.dim, 9), d);
    for (let r = 0; r < d.n; r++) expect(pr[3 * r]! + pr[3 * r + 1]! + pr[3 * r + 2]!).toBeCloseTo(1, 14);
  });
});
