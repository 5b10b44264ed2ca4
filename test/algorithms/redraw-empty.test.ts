// Empty rounds under Bernoulli participation (issue #11 item 5): by default a round with no
// client drawn is a round; with redrawEmpty the server redraws (the Artemis/MCM authors'
// sampling_devices) and weighs by the inclusion probability given S ≠ ∅, p / (1 − (1 − p)^N).
import { describe, expect, it } from "vitest";
import { activeWeight, createAlgorithm, sampleActive } from "../../src/algorithms/index.js";

const clients = [0, 1, 2];
const seed = 5n;

describe("participation redrawEmpty", () => {
  it("never yields an empty round, and leaves the non-empty draws of a round unchanged", () => {
    // p = 0.1, N = 3: P(empty) = 0.729 per draw, so ~729 of 1000 rounds are empty by default
    let emptyBefore = 0;
    for (let k = 0; k < 1000; k++) {
      const plain = sampleActive({ kind: "bernoulli", p: 0.1 }, clients, seed, k);
      const redrawn = sampleActive({ kind: "bernoulli", p: 0.1, redrawEmpty: true }, clients, seed, k);
      expect(redrawn.length).toBeGreaterThan(0);
      if (plain.length === 0) emptyBefore++;
      else expect(redrawn).toEqual(plain); // the first draw is the same stream's first draw
    }
    // binomial(1000, 0.729): s.d. 14 → ±70 is 5 s.d.
    expect(Math.abs(emptyBefore - 729)).toBeLessThan(70);
  });

  it("draws each client with probability p / (1 − (1 − p)^N) given a non-empty round, and c is its inverse / N", () => {
    const p = 0.1, n = 3, rounds = 20000;
    let hits = 0;
    for (let k = 0; k < rounds; k++) hits += sampleActive({ kind: "bernoulli", p, redrawEmpty: true }, clients, seed, k).length;
    const inclusion = p / (1 - (1 - p) ** n); // 0.369
    // mean of |S| / N over 20000 rounds: s.d. of |S|/N ≤ 0.29 → s.e. 0.002; tolerance 0.01 (5 s.e.)
    expect(Math.abs(hits / (rounds * n) - inclusion)).toBeLessThan(0.01);
    expect(activeWeight({ kind: "bernoulli", p, redrawEmpty: true }, n, "mean")).toBeCloseTo(1 / (inclusion * n), 12);
    expect(activeWeight({ kind: "bernoulli", p }, n, "mean")).toBeCloseTo(1 / (p * n), 12);
  });

  it("is validated: redrawEmpty must be a boolean (E_CONFIG)", () => {
    expect(() => createAlgorithm("artemis", { gamma: 1, participation: { kind: "bernoulli", p: 0.5, redrawEmpty: "yes" as never } })).toThrow(/E_CONFIG.*redrawEmpty/);
    expect(createAlgorithm("artemis", { gamma: 1, participation: { kind: "bernoulli", p: 0.5, redrawEmpty: true } }).config.participation).toEqual({ kind: "bernoulli", p: 0.5, redrawEmpty: true });
  });
});
