// The in-process simulator (spec/optimization.md; experiments.md E3): bits counted from the
// envelopes that travel, bit-for-bit determinism from the seed, excess loss against F*.
import { describe, expect, it } from "vitest";
import { createAlgorithm, readEnvelope, type ClientId } from "../../src/algorithms/index.js";
import { simulate, type SimulationOptions } from "../../src/federation/simulator.js";
import { FedquantError } from "../../src/errors.js";
import { heterogeneousLsr, sameBits, useKernel } from "../algorithms/helpers.js";

useKernel();
const D = 6;
const P = heterogeneousLsr(5, 20, D);
const base: SimulationOptions = { algorithm: "artemis", gamma: 0.5 / P.L, objective: P.objective, workers: P.workers, iterations: 40, seed: 21, batchSize: 5 };

describe("simulate: bits", () => {
  it("the bits reported are the sums of the encoded message sizes", () => {
    const down: Map<ClientId, Uint8Array>[] = [], up: Map<ClientId, Uint8Array>[] = [];
    const r = simulate({ ...base, participation: 0.5, onIteration: (i) => { down.push(new Map(i.downlinks)); up.push(new Map(i.uplinks)); } });
    let wireUp = 0, wireDown = 0, payUp = 0, payDown = 0;
    const perVector = 32 + 2 * D; // QSGD s = 1, fixed coding: a float32 norm + (1 level + 1 sign) bit per coordinate
    for (let k = 0; k < base.iterations; k++) {
      for (const b of up[k]!.values()) { wireUp += 8 * b.length; payUp += perVector; }
      for (const b of down[k]!.values()) { wireDown += 8 * b.length; payDown += perVector * readEnvelope(b).sections.length; }
      expect([r.wireBitsUp[k + 1], r.wireBitsDown[k + 1], r.bitsUp[k + 1], r.bitsDown[k + 1]]).toEqual([wireUp, wireDown, payUp, payDown]);
      expect(r.bitsTotal[k + 1]).toBe(payUp + payDown);
      expect(r.wireBitsTotal[k + 1]).toBe(wireUp + wireDown);
    }
    expect(r.bitsUp[0]).toBe(0);
    // catch-up was exercised: some downlink carried more than one update
    expect(down.some((m) => [...m.values()].some((b) => readEnvelope(b).sections.length > 1))).toBe(true);
  });

  it("full participation: each iteration costs N uplinks and N downlinks of one vector (the first downlink is empty)", () => {
    const r = simulate({ ...base, iterations: 5 });
    const v = 32 + 2 * D, N = P.workers.length;
    expect(r.bitsUp).toEqual([0, 1, 2, 3, 4, 5].map((k) => k * N * v));
    expect(r.bitsDown).toEqual([0, 0, 1, 2, 3, 4].map((k) => k * N * v));
  });
});

describe("simulate: determinism", () => {
  const opts = { ...base, algorithm: "mcm", participation: 0.6 } as SimulationOptions;

  it("the same config and seed give the same trajectory bit for bit", () => {
    const a = simulate(opts), b = simulate(opts);
    expect(b.loss).toEqual(a.loss);
    expect(b.bitsTotal).toEqual(a.bitsTotal);
    expect(sameBits(a.finalW, b.finalW)).toBe(true);
  });

  it("a different seed gives a different trajectory", () => {
    const a = simulate(opts), b = simulate({ ...opts, seed: 22 });
    expect(sameBits(a.finalW, b.finalW)).toBe(false);
    expect(b.loss).not.toEqual(a.loss);
  });
});

describe("simulate: results", () => {
  it("reports the excess loss against F(w*) and records every evalEvery iterations plus the last", () => {
    const r = simulate({ ...base, batchSize: "full", iterations: 23, evalEvery: 5, wStar: P.wStar });
    expect(r.iterations).toEqual([0, 5, 10, 15, 20, 23]);
    expect(r.excessLoss!.length).toBe(6);
    for (let j = 0; j < r.loss.length; j++) expect(r.excessLoss![j]).toBeCloseTo(r.loss[j]! - r.fStar!, 12);
    expect(Math.min(...r.excessLoss!)).toBeGreaterThan(-1e-12);   // w* is the exact least-squares optimum
    expect(r.excessLoss!.at(-1)!).toBeLessThan(r.excessLoss![0]! / 10);
  });

  it("accepts an Algorithm from createAlgorithm", () => {
    const algorithm = createAlgorithm("diana", { gamma: 0.5 / P.L });
    const r = simulate({ algorithm, objective: P.objective, workers: P.workers, iterations: 3, seed: 1 });
    expect(r.algorithm).toBe("diana");
    expect(r.config).toBe(algorithm.config);
  });

  it.each([
    ["no step size", { gamma: undefined }, /gamma \(the step size\) is required/],
    ["a step size beside an Algorithm", { algorithm: createAlgorithm("sgd", { gamma: 1 }) }, /gamma, config and participation belong to createAlgorithm/],
    ["a bad batch size", { batchSize: 0 }, /batchSize must be an integer ≥ 1 or "full", got number 0/],
    ["negative iterations", { iterations: -1 }, /iterations must be an integer ≥ 0/],
    ["no workers", { workers: [] }, /workers must be a non-empty array/],
    ["participation given twice", { participation: 0.5, config: { participation: 0.5 } }, /participation is given twice/],
  ])("rejects %s with E_CONFIG", (_what, patch, message) => {
    let err: unknown;
    try { simulate({ ...base, ...patch } as SimulationOptions); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FedquantError);
    expect((err as FedquantError).code).toBe("E_CONFIG");
    expect((err as Error).message).toMatch(message);
  });

  it("rejects a w0 of the wrong dimension with E_DIM", () => {
    expect(() => simulate({ ...base, w0: [0, 0] })).toThrow(expect.objectContaining({ code: "E_DIM" }));
  });
});
