// The federated rounds the browser backend test runs twice — on the backend chosen by
// availability and on cpu — in the page (browser-app.ts) and once more on Node's cpu backend
// (browser.test.ts): a small CNN on image-like data of 4 clients, Philox streams only, so the
// rows, w0 and compressor draws are the same everywhere and only TF.js's arithmetic differs.
import type * as tfjs from "@tensorflow/tfjs";
import { RandomStream, simulate, type Dataset } from "../../../src/index.js";
import { tfjsObjective } from "../../../src/tfjs/index.js";

export const SIDE = 10, CLASSES = 4, CLIENTS = 4, ROWS = 16, BATCH = 6, ROUNDS = 6, GAMMA = 0.1;

export const RUNS = [
  { algorithm: "sgd", config: {} },
  // identity both ways: the memories cancel, so this is SGD through Artemis's two memories and both wires
  { algorithm: "artemis", config: { up: "identity", down: "identity" } },
] as const;

function clientData(i: number): Dataset {
  const p = SIDE * SIDE, rng = RandomStream.of(40 + i, "test", ROWS, p);
  const X = Float64Array.from(rng.normals(ROWS * p), (v) => Math.max(0, v)); // non-negative pixels
  const y = Float64Array.from(rng.uniforms(ROWS), (u) => Math.floor(u * CLASSES));
  return { n: ROWS, p, X, y };
}

/** Each run's final weights (plain arrays, to cross the page boundary) and the largest weight move. */
export function federatedRounds(tf: typeof tfjs): { algorithm: string; finalW: number[]; moved: number }[] {
  return RUNS.map(({ algorithm, config }) => {
    // glorot seeds fix w0; the model is rebuilt per run so every run starts from the same weights
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [SIDE, SIDE, 1], filters: 4, kernelSize: 3, strides: 1, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
    ] });
    const obj = tfjsObjective(model);
    const w0 = obj.weights();
    const workers = Array.from({ length: CLIENTS }, (_, i) => clientData(i));
    const res = simulate({ algorithm, gamma: GAMMA, config: config as never, objective: obj, workers, iterations: ROUNDS, batchSize: BATCH, seed: 3, w0, evalEvery: ROUNDS });
    let moved = 0;
    for (let j = 0; j < w0.length; j++) moved = Math.max(moved, Math.abs(res.finalW[j]! - w0[j]!));
    model.dispose();
    return { algorithm, finalW: Array.from(res.finalW), moved };
  });
}
