// The Artemis authors' synthetic LR (build_data_logistic with w = (10, 10)): checked against its
// definition — same feature draws on every device, feature 0 negated on even devices, labels from
// σ(±zᵀw) drawn per device. Tolerances: ~5 standard errors at the stated sample sizes.
import { describe, expect, it } from "vitest";
import { AUTHORS_LOGISTIC_W, syntheticHeterogeneousLogistic, syntheticHeterogeneousLogisticAuthors } from "../../src/data/index.js";
import { sigmoid } from "../../src/models/index.js";

describe("syntheticHeterogeneousLogisticAuthors", () => {
  const { workers, wTrue, typeOfWorker } = syntheticHeterogeneousLogisticAuthors({ seed: 1 });

  it("uses the authors' w = (10, 10), 20 devices × 200 points in d = 2, labels ±1, deterministic", () => {
    expect(Array.from(wTrue)).toEqual([10, 10]);
    expect(Array.from(AUTHORS_LOGISTIC_W)).toEqual([10, 10]);
    expect(workers.map((d) => [d.n, d.p])).toEqual(new Array(20).fill([200, 2]));
    for (const d of workers) for (const v of d.y) expect(Math.abs(v)).toBe(1);
    expect(syntheticHeterogeneousLogisticAuthors({ seed: 1, workers: 3 }).workers).toEqual(workers.slice(0, 3));
    expect(Array.from(typeOfWorker)).toEqual(Array.from({ length: 20 }, (_, i) => i % 2));
  });

  it("has the same features on every device, feature 0 negated on even devices (x = (−z0, z1))", () => {
    const odd = workers[1]!.X;
    for (let i = 0; i < workers.length; i++) {
      const X = workers[i]!.X;
      for (let r = 0; r < 200; r++) {
        expect(X[2 * r]).toBe(i % 2 === 0 ? -odd[2 * r]! : odd[2 * r]!);
        expect(X[2 * r + 1]).toBe(odd[2 * r + 1]!);
      }
    }
  });

  it("draws labels per device (not shared) from σ(zᵀw) on odd devices and σ(−zᵀw) on even ones", () => {
    // The label frequency of +1 over 10 devices × 200 rows against E = mean σ(±zᵀw): Bernoulli
    // s.d. ≤ 0.5/√2000 = 0.011 → tolerance 0.06. Swapping the two models would move it by
    // |mean(σ(t) − σ(−t))| = |mean(2σ(t) − 1)|, large here since t = 10(z0 + z1) is far from 0 in
    // most rows — so we compare the per-row agreement instead: E[y·sign(t)] = E|2σ(t) − 1|.
    const z = workers[1]!.X;
    let agreeOdd = 0, agreeEven = 0, expected = 0;
    for (let r = 0; r < 200; r++) expected += Math.abs(2 * sigmoid(10 * (z[2 * r]! + z[2 * r + 1]!)) - 1) / 200;
    for (let i = 0; i < 20; i++) {
      const { y } = workers[i]!;
      for (let r = 0; r < 200; r++) {
        const t = 10 * (z[2 * r]! + z[2 * r + 1]!); // zᵀw
        if (i % 2 === 1) agreeOdd += (y[r]! * Math.sign(t)) / 2000;
        else agreeEven += (y[r]! * Math.sign(-t)) / 2000;
      }
    }
    expect(Math.abs(agreeOdd - expected)).toBeLessThan(0.06);
    expect(Math.abs(agreeEven - expected)).toBeLessThan(0.06);
    // independent label draws: two odd devices with the same features disagree on some rows
    const y1 = workers[1]!.y, y3 = workers[3]!.y;
    expect(y1.some((v, r) => v !== y3[r])).toBe(true);
  });

  it("differs from the library's own variant (independent features, w = (−1, e^−0.1))", () => {
    const own = syntheticHeterogeneousLogistic({ seed: 1 });
    expect(Array.from(own.wTrue)).toEqual([-1, Math.exp(-0.1)]);
    expect(own.workers[1]!.X).not.toEqual(own.workers[3]!.X);
  });
});
