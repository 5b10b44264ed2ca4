// Predictive scores (spec/langevin.md "Output") on cases small enough to compute by hand.
import { describe, expect, it } from "vitest";
import { logistic } from "../../src/models/index.js";
import { calibrationBins, classificationMetrics, PredictiveAccumulator } from "../../src/sampling/index.js";

// 4 rows, 2 classes; labels 0, 1, 1, 0
const probs = [0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.55, 0.45];
const labels = [0, 1, 1, 0];

describe("classificationMetrics", () => {
  const m = classificationMetrics(probs, labels, 2, 10);
  it("accuracy: rows 1, 2 and 4 are right (argmax 0, 1, 0), row 3 wrong → 0.75", () => { expect(m.accuracy).toBe(0.75); });
  it("Brier: (0.01+0.01) + (0.09+0.09) + (0.36+0.36) + (0.2025+0.2025), over 4 = 0.33125", () => { expect(m.brier).toBeCloseTo(0.33125, 12); });
  it("NLL: −(ln 0.9 + ln 0.7 + ln 0.4 + ln 0.55)/4", () => {
    expect(m.nll).toBeCloseTo(-(Math.log(0.9) + Math.log(0.7) + Math.log(0.4) + Math.log(0.55)) / 4, 12);
  });
  it("ECE: bins [0.5,0.6) {0.55 right}, [0.6,0.7) {0.6 wrong}, [0.7,0.8) {0.7 right}, [0.9,1] {0.9 right} → (0.45+0.6+0.3+0.1)/4", () => {
    expect(m.ece).toBeCloseTo((0.45 + 0.6 + 0.3 + 0.1) / 4, 12);
  });
  it("entropy: the mean of −Σ p ln p over rows", () => {
    const h = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    expect(m.entropy).toBeCloseTo((h(0.9) + h(0.7) + h(0.6) + h(0.55)) / 4, 12);
  });
  it("is perfectly calibrated (ECE 0) when every confidence equals its bin's accuracy", () => {
    // confidence 0.75 for 4 rows of which 3 are right
    expect(classificationMetrics([0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25], [0, 0, 0, 1], 2).ece).toBeCloseTo(0, 12);
  });
});

it("calibrationBins counts rows per confidence bin with their mean confidence and accuracy", () => {
  const bins = calibrationBins(probs, labels, 2, 5); // [0,.2) [.2,.4) [.4,.6) [.6,.8) [.8,1]
  expect(bins.map((b) => b.count)).toEqual([0, 0, 1, 2, 1]);
  expect(bins[3]!.confidence).toBeCloseTo(0.65, 12);
  expect(bins[3]!.accuracy).toBe(0.5);
  expect(bins[0]!.accuracy).toBeNaN();
});

it("PredictiveAccumulator averages per-sample probabilities (the Monte-Carlo predictive), labels ±1 mapped to classes 0/1", () => {
  const model = logistic({ p: 1 });
  const test = { n: 2, p: 1, X: Float64Array.of(1, -2), y: Float64Array.of(1, -1) };
  const acc = new PredictiveAccumulator(model, test);
  acc.add(Float64Array.of(0)); // σ(0) = 0.5 everywhere
  acc.add(Float64Array.of(1)); // P(+1 | x=1) = σ(1), P(+1 | x=−2) = σ(−2)
  const s = (t: number) => 1 / (1 + Math.exp(-t));
  const p = acc.probs();
  expect(p[1]).toBeCloseTo((0.5 + s(1)) / 2, 12);
  expect(p[2]).toBeCloseTo((0.5 + 1 - s(-2)) / 2, 12);
  expect(acc.metrics().accuracy).toBe(1);
});
