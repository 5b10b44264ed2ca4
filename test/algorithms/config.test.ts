// Wrong configurations are E_CONFIG errors that say what was expected and what was found
// (DESIGN.md "Errors"); defaults are the spec's (optimization.md, experiments.md E3).
import { describe, expect, it } from "vitest";
import { algorithmNames, createAlgorithm, type AlgorithmConfig } from "../../src/algorithms/index.js";
import { FedquantError } from "../../src/errors.js";
import { useKernel } from "./helpers.js";

useKernel();

function configError(name: string, cfg: unknown): FedquantError {
  try { createAlgorithm(name, cfg as AlgorithmConfig); } catch (e) {
    expect(e).toBeInstanceOf(FedquantError);
    expect((e as FedquantError).code).toBe("E_CONFIG");
    return e as FedquantError;
  }
  throw new Error(`${name} ${JSON.stringify(cfg)} was accepted`);
}

describe("algorithm configs", () => {
  it.each([
    ["an unknown algorithm, listing the known ones", "adam", { gamma: 1 }, /unknown algorithm "adam"; known: sgd, qsgd/],
    ["a missing step size", "sgd", {}, /gamma \(the step size\) must be a finite number > 0, got undefined/],
    ["a negative step size", "artemis", { gamma: -1 }, /gamma .* got number -1/],
    ["NaN step size", "artemis", { gamma: NaN }, /got number NaN/],
    ["a compressor on SGD", "sgd", { gamma: 1, up: "qsgd" }, /sgd: does not take "up" \(SGD is uncompressed: use qsgd\)/],
    ["a memory on QSGD", "qsgd", { gamma: 1, alpha: 0.1 }, /qsgd: does not take "alpha" \(QSGD has no memory: use diana\)/],
    ["a downlink compressor on DIANA", "diana", { gamma: 1, down: "qsgd" }, /does not take "down" \(DIANA's downlink is uncompressed: use artemis\)/],
    ["an unknown key", "artemis", { gamma: 1, momentum: 0.9 }, /does not take "momentum"; it takes gamma, participation, aggregate, up, down, alpha, serverMemory/],
    ["α outside [0, 1]", "artemis", { gamma: 1, alpha: 1.5 }, /alpha must be a number in \[0, 1\], got number 1.5/],
    ["a participation probability of 0", "artemis", { gamma: 1, participation: 0 }, /participation must be a number in \(0, 1\], got number 0/],
    ["a malformed participation", "artemis", { gamma: 1, participation: { kind: "fixed", m: 0 } }, /participation.m must be an integer ≥ 1, got number 0/],
    ["an unknown server memory", "artemis", { gamma: 1, serverMemory: "some" }, /serverMemory must be "all-workers" or "active-workers", got string "some"/],
    ["an unknown compressor", "artemis", { gamma: 1, up: "zip" }, /artemis: up: unknown compressor "zip"; known: identity, qsgd/],
    ["bad compressor parameters", "artemis", { gamma: 1, down: { name: "qsgd", params: { s: 0 } } }, /artemis: down: qsgd: s must be an integer in \[1, 16777216\], got number 0/],
    ["a biased compressor without α", "diana", { gamma: 1, up: "topk" }, /uplink compressor topk is biased \(ω = ∞\): give alpha explicitly/],
    ["an unknown aggregate", "qsgd", { gamma: 1, aggregate: "median" }, /aggregate must be "mean" or "sum", got string "median"/],
    ["an unknown SGD broadcast", "sgd", { gamma: 1, broadcast: "both" }, /broadcast must be "update" or "model", got string "both"/],
    ["Dore with β = 0", "dore", { gamma: 1, beta: 0 }, /beta must be a number in \(0, 1\], got number 0/],
  ])("rejects %s", (_what, name, cfg, message) => {
    expect(configError(name as string, cfg).message).toMatch(message as RegExp);
  });

  it("rejects m > N when the server learns N", () => {
    const a = createAlgorithm("artemis", { gamma: 1, participation: { kind: "fixed", m: 5 } });
    expect(() => a.createServer({ w0: [0], clients: 3, seed: 1 })).toThrow(/m = 5 clients per round, but there are only 3/);
  });

  it.each([
    ["a duplicated client id", { w0: [0], clients: [1, 1], seed: 1 }, /client id 1 is listed twice/],
    ["the server's id as a client", { w0: [0], clients: [0xffffff], seed: 1 }, /client id must be an integer in \[0, 16777214\]/],
    ["a negative seed", { w0: [0], clients: 2, seed: -1 }, /seed must be a non-negative safe integer/],
    ["an empty model", { w0: [], clients: 2, seed: 1 }, /w0 is empty/],
    ["a non-finite model", { w0: [0, Infinity], clients: 2, seed: 1 }, /w0\[1\] = Infinity is not finite/],
  ])("createServer rejects %s", (_what, opts, message) => {
    const a = createAlgorithm("qsgd", { gamma: 1 });
    expect(() => a.createServer(opts as never)).toThrow(message);
  });

  it("fills the spec's defaults: s = 1 quantization both ways, full participation, mean", () => {
    const c = createAlgorithm("artemis", { gamma: 0.5 }).config;
    expect(c).toEqual({
      gamma: 0.5, up: { name: "qsgd", params: { s: 1, bucket: 0, coding: "fixed", norm: "l2" } }, down: { name: "qsgd", params: { s: 1, bucket: 0, coding: "fixed", norm: "l2" } },
      participation: { kind: "bernoulli", p: 1 }, aggregate: "mean", serverMemory: "all-workers",
    });
  });

  it("α defaults to 1/(2(ω_up + 1)) at the model's dimension", () => {
    const a = createAlgorithm("artemis", { gamma: 1 });
    const dim = 16, omega = Math.min(dim, Math.sqrt(dim)); // QSGD s = 1: ω = min(D/s², √D/s) = 4
    const s = a.createServer({ w0: new Float64Array(dim), clients: 1, seed: 1 });
    expect((s as unknown as { ctx: { alpha: number } }).ctx.alpha).toBeCloseTo(1 / (2 * (omega + 1)), 15);
  });

  it("every registered algorithm accepts just a step size", () => {
    for (const name of algorithmNames().filter((n) => !n.startsWith("dostovoq"))) {
      expect(createAlgorithm(name, { gamma: 0.1 }).name).toBe(name);
    }
  });
});
