// "Any algorithm with any compressor" (spec/optimization.md "DoStoVoQ-SGD"): every registered
// algorithm runs with every registered compressor named in its up / down links — including the
// compressors other engineers register later (StoVoQ, DoStoVoQ, HSQ), taken from the registry.
import { describe, expect, it } from "vitest";
import { algorithmNames, createAlgorithm, type AlgorithmConfig } from "../../src/algorithms/index.js";
import { compressorNames, createCompressor } from "../../src/compressors/index.js";
import { algo, drive, heterogeneousLsr, useKernel } from "./helpers.js";

useKernel();
const D = 16;
const P = heterogeneousLsr(3, 10, D);
/** parameters that fit D = 16 for the compressors whose defaults may not (unknown ones: defaults) */
const PARAMS: Record<string, Record<string, unknown>> = { topk: { k: 4 }, randk: { k: 4 }, crosspolytope: { draws: 2 }, qsgd: { s: 2 } };

/** compressors that build from these (or default) parameters; one needing more is left out */
function usable(name: string): boolean {
  try { createCompressor(name, PARAMS[name] ?? {}); return true; } catch { return false; }
}
const compressors = compressorNames().filter(usable);
const algorithms = algorithmNames().filter((n) => !n.startsWith("dostovoq"));

describe("any algorithm with any compressor", () => {
  it("the built-in compressors are all in the matrix", () => {
    expect(compressors).toEqual(expect.arrayContaining(["identity", "qsgd", "sign", "topk", "randk", "crosspolytope"]));
  });

  for (const a of algorithms) {
    const keys = createAlgorithm(a, { gamma: 1 }).config;
    for (const c of compressors) {
      it(`${a} with ${c}`, () => {
        const spec = { name: c, params: PARAMS[c] ?? {} };
        const cfg: Record<string, unknown> = { gamma: 0.05 / P.L };
        if (a !== "sgd") cfg.up = spec;
        if (!["sgd", "qsgd", "diana"].includes(a)) cfg.down = spec;
        // biased compressors have no ω: memory rates must then be explicit
        if ("serverMemory" in keys || a === "diana") cfg.alpha = 0.1;
        if (["mcm", "rand-mcm"].includes(a)) cfg.alphaDown = 0.1;
        const t = drive(algo(a, cfg as unknown as AlgorithmConfig), P.workers, P.objective, 4, 2, { batch: 3 });
        expect(t.server.round).toBe(4);
        expect(t.server.model.every(Number.isFinite)).toBe(true);
      });
    }
  }

  it("DoStoVoQ-SGD and DoStoVoQ-VR-DIANA are QSGD and DIANA with the dostovoq compressor", () => {
    expect(algorithmNames()).toEqual(expect.arrayContaining(["dostovoq-sgd", "dostovoq-vr-diana"]));
    if (!compressorNames().includes("dostovoq")) {
      expect(() => createAlgorithm("dostovoq-sgd", { gamma: 1 })).toThrow(/unknown compressor "dostovoq"/);
      return;
    }
    const a = createAlgorithm("dostovoq-vr-diana", { gamma: 1 });
    expect([a.id, a.config.up.name]).toEqual([createAlgorithm("diana", { gamma: 1 }).id, "dostovoq"]);
  });
});
