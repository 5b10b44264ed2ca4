// Every update rule against its naive re-implementation from the equations (naive.ts), sharing
// only the compressors and their streams: the same trajectory, round by round, for the server's
// model and for the points where the workers evaluate their gradients. Catches a wrong weight
// (1/(pN) missing under Bernoulli participation), a memory or error step left out, a shared
// stream where the paper asks for independent ones, a view computed at the wrong point.
//
// Tolerances: the two implementations add the same numbers, sometimes in a different order or
// with α/N where the library has α·(1/N), so they differ by a few float64 ulps per step; such a
// difference reaches the wire as a float32 rounding at most (2^-24 ≈ 6e-8 relative), which a
// rule change of the kind above exceeds by orders of magnitude (it is O(γ‖g‖) per step).
import { describe, expect, it } from "vitest";
import type { AlgorithmConfig } from "../../../src/algorithms/index.js";
import { heterogeneousLsr, useKernel } from "../helpers.js";
import { lsrGrad, sideBySide } from "./drive.js";
import type { RuleName } from "./naive.js";

useKernel();
const P = heterogeneousLsr(4, 16, 6, 3);
const gamma = 0.1 / P.L, rounds = 60, seed = 29;
const grad = lsrGrad(P.workers, 4);

// [name, config, tolerance]: 1e-12 where the reference performs the library's float operations up
// to reordering; 1e-6 for the error-feedback algorithms, where the scaled sign's scale ‖x‖₁/D is
// a float32 sum whose last bit can differ and is then carried by the error (relative 6e-8 per step).
const CASES: [RuleName, Partial<AlgorithmConfig> & { participation?: number }, number][] = [
  ["sgd", {}, 1e-12],
  ["sgd", { participation: 0.5 }, 1e-12],
  ["qsgd", { up: { name: "qsgd", params: { s: 2 } } }, 1e-12],
  ["qsgd", { participation: 0.6 }, 1e-12],
  ["diana", { alpha: 0.2, participation: 0.5 }, 1e-12],
  ["diana", { up: "randk", alpha: 0.1, participation: 0.5, serverMemory: "active-workers" }, 1e-12],
  ["biqsgd", { participation: 0.7 }, 1e-12],
  ["artemis", {}, 1e-12],
  ["artemis", { alpha: 0.15, participation: 0.5 }, 1e-12],
  ["artemis", { alpha: 0.15, participation: 0.5, serverMemory: "active-workers" }, 1e-12],
  ["artemis-nd", { alpha: 0.15, participation: 0.5 }, 1e-12],
  ["mcm", {}, 1e-12],
  ["mcm", { alpha: 0.1, alphaDown: 0.2, participation: 0.5 }, 1e-12],
  ["rand-mcm", { alpha: 0.1, alphaDown: 0.2 }, 1e-12],
  ["rand-mcm", { alpha: 0.1, alphaDown: 0.2, participation: 0.5 }, 1e-12],
  ["dore", {}, 1e-12],
  ["dore", { alpha: 0.1, beta: 0.8, eta: 0.3, participation: 0.5 }, 1e-12],
  ["artemis-ef", {}, 1e-12],
  ["artemis-ef", { alpha: 0.15, eta: 0.5, participation: 0.5 }, 1e-12],
  ["artemis-ef", { up: { name: "topk", params: { k: 3 } }, down: { name: "topk", params: { k: 2 } }, alpha: 0.2, eta: 1 }, 1e-12],
  // memoryInit "first-gradient" (the authors' smart initialisation), full and partial participation
  ["diana", { memoryInit: "first-gradient" }, 1e-12],
  ["diana", { alpha: 0.2, participation: 0.5, memoryInit: "first-gradient" }, 1e-12],
  ["artemis", { memoryInit: "first-gradient" }, 1e-12],
  ["artemis", { alpha: 0.15, participation: 0.5, memoryInit: "first-gradient" }, 1e-12],
  ["artemis", { alpha: 0.15, participation: 0.5, serverMemory: "active-workers", memoryInit: "first-gradient" }, 1e-12],
  ["mcm", { memoryInit: "first-gradient" }, 1e-12],
  ["mcm", { alpha: 0.1, alphaDown: 0.2, participation: 0.5, memoryInit: "first-gradient" }, 1e-12],
  ["rand-mcm", { alpha: 0.1, alphaDown: 0.2, participation: 0.5, memoryInit: "first-gradient" }, 1e-12],
  ["dore", { memoryInit: "first-gradient" }, 1e-12],
  ["dore", { alpha: 0.1, beta: 0.8, eta: 0.3, participation: 0.5, serverMemory: "active-workers", memoryInit: "first-gradient" }, 1e-12],
  ["artemis-ef", { alpha: 0.15, participation: 0.5, memoryInit: "first-gradient" }, 1e-12],
  ["double-squeeze", {}, 1e-6],
  ["double-squeeze", { up: { name: "topk", params: { k: 2 } }, down: { name: "topk", params: { k: 3 } }, participation: 0.5 }, 1e-12],
  ["ef-sgd", {}, 1e-6],
  ["ef-sgd", { participation: 0.5 }, 1e-6],
];

describe("the library follows the naive reference of every update rule", () => {
  for (const [name, config, tol] of CASES) {
    it(`${name} ${JSON.stringify(config)}: same server model and same gradient points for ${rounds} rounds`, () => {
      const r = sideBySide(name, { gamma, ...config } as AlgorithmConfig & { participation?: number }, P.workers, rounds, seed, grad);
      expect(r.moved, "the model moves").toBeGreaterThan(0.1);
      expect(r.server).toBeLessThanOrEqual(tol);
      expect(r.workers).toBeLessThanOrEqual(tol);
    });
  }
});
