// Objectives cross threads as the factory call that makes them (src/federation/pool/objective-spec.ts):
// the calling thread rebuilds each one and checks that the twin gives the same bits before any
// worker starts, so a user objective that merely borrows a model's name is refused.
import { describe, expect, it } from "vitest";
import { buildObjective, describeObjective, portableObjective } from "../../src/federation/pool/objective-spec.js";
import { gaussianMean, leastSquares, logistic, mlp, softmax, type Dataset, type Objective } from "../../src/models/index.js";

/** n rows of p features; labels ±1 (classes = 0) or in {0, …, classes − 1}. */
function data(n: number, p: number, classes: number): Dataset {
  const X = Float64Array.from({ length: n * p }, (_, i) => Math.cos(1 + 0.7 * i));
  const y = Float64Array.from({ length: n }, (_, i) => (classes === 0 ? 2 * (i % 2) - 1 : i % classes));
  return { n, p, X, y };
}

const cases: [string, Objective, Dataset][] = [
  ["lsr", leastSquares({ p: 4, ridge: 0.1 }), data(5, 4, 2)],
  ["logistic", logistic({ p: 4 }), data(5, 4, 0)],
  ["gaussian", gaussianMean({ p: 4 }), data(5, 4, 2)],
  ["softmax", softmax({ p: 4, classes: 3 }), data(6, 4, 3)],
  ["mlp", mlp({ p: 4, hidden: 3, classes: 3, activation: "relu", ridge: 0.01 }), data(6, 4, 3)],
];

describe("portableObjective", () => {
  it.each(cases)("%s: the spec rebuilds an objective with the same fields", (_, o, d) => {
    const spec = portableObjective(o, d);
    expect(spec).toEqual(describeObjective(o));
    const twin = buildObjective(spec);
    expect([twin.name, twin.dim]).toEqual([o.name, o.dim]);
  });

  it("refuses an objective that borrows a model's name but computes something else (E_CONFIG)", () => {
    const o = leastSquares({ p: 4 });
    const impostor: Objective = { ...o, grad: (w, d, out, rows) => { o.grad(w, d, out, rows); out[0] = out[0]! + 1; return out; } };
    expect(() => portableObjective(impostor, data(5, 4, 2))).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });

  // Every oracle of the library passes minibatch rows as a Uint32Array. One call with a plain
  // array makes a model's row loads polymorphic for the rest of the process: E4's gradients ran
  // 5–8 % slower on the calling thread after its first threaded run (docs/scaling.md).
  it("checks with row indices in a Uint32Array, the type the library's oracles pass", () => {
    const o = mlp({ p: 4, hidden: 3, classes: 3 });
    const seen: unknown[] = [];
    const spy: Objective = { ...o, grad: (w, d, out, rows) => { seen.push(rows); return o.grad(w, d, out, rows); } };
    portableObjective(spy, data(6, 4, 3));
    expect(seen.length).toBeGreaterThan(0);
    for (const rows of seen) expect(rows === undefined || rows instanceof Uint32Array).toBe(true);
    expect(seen.some((r) => r instanceof Uint32Array)).toBe(true);
  });
});
