// With the identity compressor and full participation the compressed algorithms reduce to SGD
// (spec/optimization.md: QSGD, DIANA, Artemis, MCM with ω = 0): bit for bit where the floating-
// point operations coincide, to f32 rounding where they cannot (docs/algorithms.md "Exactness").
import { describe, expect, it } from "vitest";
import { algo, drive, heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(5, 20, 6);
const gamma = 0.5 / P.L, rounds = 30, seed = 11;
const run = (name: string, config: object) => drive(algo(name, { gamma, ...config }), P.workers, P.objective, rounds, seed, { batch: 5 }).models;

describe("identity compressors, full participation", () => {
  const sgd = run("sgd", {});

  it("SGD moves (the comparison is not between two frozen models)", () => {
    expect(sameBits(sgd[0]!, sgd[rounds - 1]!)).toBe(false);
  });

  for (const [name, config] of [
    ["qsgd", { up: "identity" }],
    ["diana", { up: "identity", alpha: 0 }],
    ["biqsgd", { up: "identity", down: "identity" }],
    ["artemis", { up: "identity", down: "identity", alpha: 0 }],
    ["artemis", { up: "identity", down: "identity", alpha: 0, serverMemory: "active-workers" }],
  ] as const) {
    it(`${name} ${JSON.stringify(config)} reproduces SGD's trajectory bit for bit`, () => {
      const m = run(name, config);
      for (let k = 0; k < rounds; k++) expect(sameBits(m[k]!, sgd[k]!), `round ${k}`).toBe(true);
    });
  }

  it("MCM (α = α_down = 0) reproduces SGD with the model broadcast bit for bit", () => {
    const ref = run("sgd", { broadcast: "model" });
    const m = run("mcm", { up: "identity", down: "identity", alpha: 0, alphaDown: 0 });
    for (let k = 0; k < rounds; k++) expect(sameBits(m[k]!, ref[k]!), `round ${k}`).toBe(true);
  });

  // f32(g − h) + h ≠ f32(g) in floating point, and MCM's workers evaluate at f32(w): each step
  // differs by f32 rounding (relative 2^-24 ≈ 6e-8 of the vectors involved); over 30 contracting
  // steps the drift stays far below 1e-5 relative, while the models move by O(1).
  for (const [name, config] of [
    ["diana", { up: "identity", alpha: 0.5 }],
    ["artemis", { up: "identity", down: "identity", alpha: 0.5 }],
    ["mcm", { up: "identity", down: "identity", alpha: 0.5, alphaDown: 0.5 }],
    ["dore", { up: "identity", down: "identity", alpha: 0.5 }],
  ] as const) {
    it(`${name} with memories on follows SGD to f32 rounding`, () => {
      const m = run(name, config);
      for (let k = 0; k < rounds; k++) {
        for (let j = 0; j < m[k]!.length; j++) expect(Math.abs(m[k]![j]! - sgd[k]![j]!)).toBeLessThan(1e-5 * (1 + Math.abs(sgd[k]![j]!)));
      }
    });
  }
});
