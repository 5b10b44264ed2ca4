// Test accuracy (demo/src/accuracy.ts) against a naive argmax of the logits W x written from the
// softmax model's definition, and the held-out digits being disjoint from the training digits.
import { describe, expect, it } from "vitest";
import { softmax } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";
import { accuracy } from "../../demo/src/accuracy.js";
import { decodeDigits, heldOutDigits, selectDigits } from "../../demo/src/digits.js";
import { mnistAssetBytes } from "../../demo/mnist-asset.js";

describe("demo test accuracy", () => {
  it("equals the share of rows whose largest logit w_c·x is the label", () => {
    const p = 5, C = 3, n = 200;
    const rng = RandomStream.of(7, "test", 1, 0);
    const X = Float64Array.from(rng.normals(n * p)), w = Float64Array.from(rng.normals(C * p));
    const y = Float64Array.from({ length: n }, (_, r) => r % C);
    let right = 0;
    for (let r = 0; r < n; r++) {
      let best = 0, bestZ = -Infinity;
      for (let c = 0; c < C; c++) {
        let z = 0;
        for (let j = 0; j < p; j++) z += w[c * p + j]! * X[r * p + j]!;
        if (z > bestZ) { bestZ = z; best = c; }
      }
      if (best === y[r]) right++;
    }
    expect(accuracy(softmax({ p, classes: C }), w, { n, p, X, y })).toBe(right / n);
  });

  it("is 1 for a model that puts all weight on the label's indicator feature", () => {
    const p = 3, C = 3;
    const X = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), y = Float64Array.from([0, 1, 2]);
    const w = Float64Array.from([5, 0, 0, 0, 5, 0, 0, 0, 5]);
    expect(accuracy(softmax({ p, classes: C }), w, { n: 3, p, X, y })).toBe(1);
    expect(accuracy(softmax({ p, classes: C }), w, { n: 3, p, X, y: Float64Array.from([1, 2, 0]) })).toBe(0);
  });

  it("holds out the last 1,000 digits of the seeded order: disjoint from the first 9,000 (the training digits)", () => {
    const all = decodeDigits(mnistAssetBytes());
    const whole = selectDigits(all, 10_000, 3), train = selectDigits(all, 9000, 3), test = heldOutDigits(all, 1000, 3);
    // the full order split in two: rows 0..8999 are the training digits, rows 9000..9999 the test digits
    // compared with a loop: vitest's deep equality is slow on 10⁶ floats
    const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
    expect(same(train.X, whole.X.subarray(0, 9000 * 784))).toBe(true);
    expect(same(test.X, whole.X.subarray(9000 * 784))).toBe(true);
    expect(same(test.y, whole.y.subarray(9000))).toBe(true);
    expect(same(test.y, whole.y.subarray(8000, 9000))).toBe(false);
  });
});
