// Test accuracy of a classifier's weights on held-out rows: the share of rows whose most probable
// class (argmax of the model's predicted probabilities; ties go to the lowest class) is the label.
import type { Classifier, Dataset } from "../../src/models/index.js";

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
