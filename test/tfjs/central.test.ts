// E5's centralised reference trainer (src/experiments/e5-central.ts) is plain minibatch SGD when
// asked for SGD: w ← w − γ·decay^(e−1)·∇F_B(w) over the batches of a Philox permutation per epoch.
import { beforeAll, expect, it } from "vitest";
import { trainCentral } from "../../src/experiments/e5-central.js";
import { MNIST_PIXELS } from "../../src/data/mnist-node.js";
import type { Dataset } from "../../src/models/index.js";
import { RandomStream, ready } from "../../src/index.js";
import { tfjsObjective } from "../../src/tfjs/index.js";
import { backend, tf } from "./setup.js";

beforeAll(async () => { await ready(); await backend("cpu"); });

function digitsLike(n: number, seed: number): Dataset {
  const rng = RandomStream.of(seed, "test", n, 0);
  return { n, p: MNIST_PIXELS, X: Float64Array.from(rng.uniforms(n * MNIST_PIXELS)), y: Float64Array.from(rng.uniforms(n), (u) => Math.floor(u * 10)) };
}

it("SGD with decay: each step is w − γ·decay^(e−1)·(mean cross-entropy gradient on the permutation's next batch)", () => {
  const mk = () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
  const train = digitsLike(8, 1), test = digitsLike(4, 2);
  const gamma = 0.5, decay = 0.5, batch = 3, epochs = 2, seed = 9;
  const model = mk(), ref = tfjsObjective(mk());
  let w = ref.weights();
  const w0 = w.slice();
  const res = trainCentral(tf, model, train, test, { optimizer: "sgd", lr: gamma, decay, batch, epochs, seed });
  // the reference: the rows the trainer documents (floor(8/3) = 2 full batches per epoch, the rest dropped)
  for (let e = 1; e <= epochs; e++) {
    const perm = RandomStream.of(seed, "data", 0xe5c, e).permutation(train.n);
    for (let s = 0; s + batch <= train.n; s += batch) {
      const g = ref.grad(w, train, new Float64Array(ref.dim), Array.from(perm.subarray(s, s + batch)));
      w = w.map((v, j) => v - gamma * decay ** (e - 1) * g[j]!);
    }
  }
  expect(res.steps).toBe(4);
  expect(res.accuracy).toHaveLength(2);
  const got = tfjsObjective(model).weights();
  let diff = 0, moved = 0;
  for (let j = 0; j < w.length; j++) { diff = Math.max(diff, Math.abs(got[j]! - w[j]!)); moved = Math.max(moved, Math.abs(w[j]! - w0[j]!)); }
  expect(moved).toBeGreaterThan(1e-3);
  // float32 steps against float64 updates of float32 gradients: 4 steps of a few ulps of |γ g| ≲ 0.1
  expect(diff).toBeLessThan(1e-5);
});

it("bad settings are E_CONFIG", () => {
  const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
  const d = digitsLike(4, 3);
  expect(() => trainCentral(tf, m, d, d, { optimizer: "adam", lr: 0, batch: 2, epochs: 1, seed: 1 })).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  expect(() => trainCentral(tf, m, d, d, { optimizer: "adam", lr: 0.1, decay: 1.5, batch: 2, epochs: 1, seed: 1 })).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
});
