// Test accuracy of a classifier's weights on held-out rows: the share of rows whose most probable
// class (argmax of the model's predicted probabilities; ties go to the lowest class) is the label.
import { prependBias } from "../../src/data/browser.js";
import type { Classifier, Dataset, Objective } from "../../src/models/index.js";

export function accuracy(model: Classifier, w: Float64Array, data: Dataset): number {
  const C = model.classes;
  const proba = model.predictProba(w, data);
  let right = 0;
  for (let r = 0; r < data.n; r++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (proba[r * C + c]! > proba[r * C + best]!) best = c;
    if (best === data.y[r]) right++;
  }
  return right / data.n;
}

/** Accuracy of any of the demo's models: a TF.js objective's own (argmax of its outputs), else the classifier's. */
export function modelAccuracy(objective: Objective, w: Float64Array, data: Dataset): number {
  const own = (objective as { accuracy?: (w: Float64Array, d: Dataset) => number }).accuracy;
  return typeof own === "function" ? own.call(objective, w, data) : accuracy(objective as Classifier, w, data);
}

/** The held-out digits in the form a problem's model reads: with a bias column for softmax ("mnist"), raw pixels for an injected model. */
export function testSetFor(kind: string, raw: Dataset): Dataset | undefined {
  if (kind === "mnist") return prependBias(raw);
  if (kind === "mnist-model") return raw;
  return undefined;
}
