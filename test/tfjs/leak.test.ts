// Tensor memory: a federated run on a TF.js model allocates per round and frees it all, so the
// live tensor count after round 10 is the count after round 1,000 (a leak of even one tensor per
// gradient would add ≥ 1,980 here). A tiny model keeps the 2,000 gradients fast.
import { beforeAll, expect, it } from "vitest";
import { simulate } from "../../src/federation/simulator.js";
import { RandomStream, ready } from "../../src/index.js";
import { tfjsObjective } from "../../src/tfjs/index.js";
import { backend, tf } from "./setup.js";

beforeAll(async () => { await ready(); await backend("cpu"); });

it("tf.memory().numTensors is flat over 1,000 rounds of Artemis on a TF.js model", () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
  const obj = tfjsObjective(model);
  const workers = [0, 1].map((i) => {
    const rng = RandomStream.of(9, "test", i);
    return { n: 20, p: 3, X: Float64Array.from(rng.normals(60)), y: Float64Array.from(rng.uniforms(20), (u) => (u < 0.5 ? 0 : 1)) };
  });
  const counts = new Map<number, number>();
  simulate({
    algorithm: "artemis", gamma: 0.05, config: { up: { name: "qsgd", params: { s: 2 } }, down: { name: "qsgd", params: { s: 2 } } },
    objective: obj, workers, iterations: 1000, batchSize: 4, seed: 1, w0: obj.weights(), evalEvery: 100,
    onIteration: ({ iteration }) => { if (iteration === 10 || iteration === 1000) counts.set(iteration, tf.memory().numTensors); },
  });
  expect(counts.get(10)).toBeGreaterThan(0);
  expect(counts.get(1000)).toBe(counts.get(10));
});
