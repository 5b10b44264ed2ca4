// E5's network and data. The CNN (5,386 weights): conv 5×5 stride 2, 8 filters, ReLU →
// conv 3×3 stride 2, 16 filters, ReLU → dense 10 (logits). Strided convolutions instead of
// pooling keep a gradient cheap on TF.js's wasm backend (docs/tfjs.md "E5"). Weights start from
// Glorot-uniform draws with fixed seeds, so every run starts at the same w0.
import type * as tfl from "@tensorflow/tfjs-layers";
import { splitByLabel } from "../data/splits.js";
import { mnistDigits, MNIST_SIDE } from "../data/mnist-node.js";
import type { Dataset } from "../models/index.js";
import { RandomStream } from "../random/index.js";
import { DataTag } from "../data/streams.js";
import type { E5Size } from "./e5-config.js";

export type E5Arch = "small" | "wide";

/**
 * "small" (E5's federated network, D = 5,386): conv 5×5/2 ×8 → conv 3×3/2 ×16 → dense 10.
 * "wide" (D = 20,490): conv 3×3 ×16 (same) → max-pool 2 → conv 3×3 ×32 (same) → max-pool 2 →
 * dense 10 — the usual small MNIST CNN, for the ≥ 97 % centralised accuracy (docs/tfjs.md).
 */
export function buildCnn(tf: Pick<typeof tfl, "sequential" | "layers" | "initializers">, seed: number, arch: E5Arch = "small"): tfl.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 16 + k });
  if (arch === "wide") {
    return tf.sequential({
      name: "e5cnnwide",
      layers: [
        tf.layers.conv2d({ inputShape: [MNIST_SIDE, MNIST_SIDE, 1], filters: 16, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(1) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(2) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, kernelInitializer: init(3) }),
      ],
    });
  }
  return tf.sequential({
    name: "e5cnn",
    layers: [
      tf.layers.conv2d({ inputShape: [MNIST_SIDE, MNIST_SIDE, 1], filters: 8, kernelSize: 5, strides: 2, activation: "relu", kernelInitializer: init(1) }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: "relu", kernelInitializer: init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(3) }),
    ],
  });
}

export interface E5Data { train: Dataset; test: Dataset; clients: Dataset[] }

/** A seeded shuffle of the digits: the last `test` are the test set, the rest split by label. */
export function e5Data(size: E5Size, seed: number): E5Data {
  const all = mnistDigits({ count: size.digits, seed });
  const nTrain = all.n - size.test, p = all.p;
  const slice = (from: number, to: number): Dataset => ({ n: to - from, p, X: all.X.subarray(from * p, to * p), y: all.y.subarray(from, to) });
  const train = slice(0, nTrain), test = slice(nTrain, all.n);
  const clients = splitByLabel(train, size.clients, size.labelsPerClient, RandomStream.of(seed, "data", DataTag.mnist + 1, 0));
  return { train, test, clients };
}
