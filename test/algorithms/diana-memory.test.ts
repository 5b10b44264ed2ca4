// DIANA's worker memories learn the local gradients at the optimum (Mishchenko et al. 2019;
// spec/optimization.md "DIANA"): with full batches h^i → ∇F_i(w*), which is why Δ^i = C(g^i − h^i)
// vanishes and compression stops costing accuracy.
import { describe, expect, it } from "vitest";
import { algo, drive, heterogeneousLsr, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(6, 30, 5);

function localGradsAtOptimum(): Float64Array[] {
  return P.workers.map((d) => P.objective.grad(P.wStar, d, new Float64Array(5)));
}
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe("DIANA memories", () => {
  const target = localGradsAtOptimum();
  const scale = Math.max(...target.map(norm));

  it("the local gradients at w* are not zero (heterogeneous data)", () => {
    expect(Math.min(...target.map(norm))).toBeGreaterThan(0.1);
  });

  for (const serverMemory of ["all-workers", "active-workers"] as const) {
    it(`h^i → ∇F_i(w*) for every worker (qsgd s = 1, ${serverMemory})`, () => {
      const t = drive(algo("diana", { gamma: 0.5 / P.L, serverMemory }), P.workers, P.objective, 600, 3);
      // geometric convergence: after 600 full-batch steps the memories sit at ∇F_i(w*) to ~1e-8 of its size
      for (let i = 0; i < P.workers.length; i++) {
        const h = t.clients[i]!.inspect().memory!;
        const diff = h.map((x, j) => x - target[i]![j]!);
        expect(norm(diff) / scale, `worker ${i}`).toBeLessThan(1e-6);
      }
    });
  }

  it("the server memory is the mean of the worker memories (all-workers)", () => {
    const t = drive(algo("diana", { gamma: 0.5 / P.L }), P.workers, P.objective, 50, 3);
    const h = t.server.inspect().memory!;
    for (let j = 0; j < 5; j++) {
      const mean = t.clients.reduce((s, c) => s + c.inspect().memory![j]!, 0) / t.clients.length;
      expect(h[j]).toBeCloseTo(mean, 12);
    }
  });
});
