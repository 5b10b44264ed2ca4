// The demo's CNN problem ("mnist-model" with model "cnn"): each Web Worker trains its shard with
// TF.js through fedquant/tfjs (src/tfjs: the model's weights and gradients as one flat vector),
// and compresses its updates with fedquant like any other model. The network is E5's
// (src/experiments/e5-model.ts, docs/tfjs.md): conv 5×5/2, 8 filters, ReLU → conv 3×3/2,
// 16 filters, ReLU → dense 10 logits, 5,386 weights; Glorot-uniform draws with seeds derived from
// the problem seed, so the page and every worker start from the same w0. Loaded on demand (a
// dynamic import): the other problems never download TF.js.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { FedquantError } from "../../src/errors.js";
import type { ModelBuilder } from "../../src/federation/transport/problem.js";
import { tfjsObjective, useBackend } from "../../src/tfjs/index.js";

const SIDE = 28;

function buildCnn(seed: number): tfl.Sequential {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed * 16 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [SIDE, SIDE, 1], filters: 8, kernelSize: 5, strides: 2, activation: "relu", kernelInitializer: init(1) }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: "relu", kernelInitializer: init(2) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, kernelInitializer: init(3) }),
    ],
  });
}

/**
 * The CNN as an Objective and its w0. Every party uses TF.js's cpu backend (with fedquant's
 * Conv2DBackpropFilter kernel, installed by useBackend): the same JavaScript arithmetic in the
 * page and in every worker, where WebGL's float rounding would differ between GPUs.
 */
export const buildModel: ModelBuilder = async (model, seed) => {
  if (model !== "cnn") throw new FedquantError("E_CONFIG", `the demo knows the model "cnn", got "${model}"`);
  await useBackend("cpu");
  const objective = tfjsObjective(buildCnn(seed));
  return { objective, w0: objective.weights() };
};
