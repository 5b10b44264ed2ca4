// E5's centralised reference (issue #12 item 3: "state … the centralised test accuracy it reaches
// on this machine in a few minutes"): TF.js trains a CNN of e5-model.ts on all training digits of
// E5's split with its own optimizer (tf.train.adam or tf.train.sgd), minibatches drawn from a
// Philox permutation per epoch (seeded, never unseeded randomness), test accuracy after each epoch, CPU seconds.
import { cpuUsage } from "node:process";
import type * as tfjs from "@tensorflow/tfjs";
import type * as tfl from "@tensorflow/tfjs-layers";
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/index.js";
import { RandomStream } from "../random/index.js";
import { tfjsObjective } from "../tfjs/index.js";
import { MNIST_SIDE } from "../data/mnist-node.js";

export interface CentralOptions {
  optimizer: "adam" | "sgd";
  /** Adam's α or SGD's γ */
  lr: number;
  batch: number;
  epochs: number;
  seed: number;
  /** the step size is lr·decay^(epoch−1) (default 1: constant) */
  decay?: number;
  /** after each epoch */
  onEpoch?: (e: { epoch: number; accuracy: number; cpuSeconds: number }) => void;
}

export interface CentralResult { accuracy: number[]; cpuSeconds: number[]; steps: number }

const cpuSeconds = () => { const u = cpuUsage(); return (u.user + u.system) / 1e6; };

export function trainCentral(tf: Pick<typeof tfjs, "train" | "tidy" | "tensor4d" | "tensor1d" | "oneHot" | "losses">, model: tfl.LayersModel, train: Dataset, test: Dataset, o: CentralOptions): CentralResult {
  if (!(o.batch >= 1 && o.epochs >= 1 && o.lr > 0)) throw new FedquantError("E_CONFIG", `central training: batch, epochs ≥ 1 and lr > 0 expected, got ${o.batch}, ${o.epochs}, ${o.lr}`);
  const obj = tfjsObjective(model);
  const opt = o.optimizer === "adam" ? tf.train.adam(o.lr) : tf.train.sgd(o.lr);
  const p = train.p, t0 = cpuSeconds();
  const res: CentralResult = { accuracy: [], cpuSeconds: [], steps: 0 };
  const xs = new Float32Array(o.batch * p), ys = new Int32Array(o.batch);
  const decay = o.decay ?? 1;
  if (!(decay > 0 && decay <= 1)) throw new FedquantError("E_CONFIG", `central training: decay must be in (0, 1], got ${decay}`);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const lr = o.lr * decay ** (epoch - 1);
    // sgd caches −γ as a tensor (setLearningRate renews it); adam reads its field at every step and has no setter
    // (not instanceof: TF.js's optimizer classes answer instanceof for any optimizer)
    if (o.optimizer === "sgd") (opt as tfjs.SGDOptimizer).setLearningRate(lr);
    else (opt as unknown as { learningRate: number }).learningRate = lr;
    const perm = RandomStream.of(o.seed, "data", 0xe5c, epoch).permutation(train.n);
    for (let s = 0; s + o.batch <= train.n; s += o.batch) {
      for (let j = 0; j < o.batch; j++) {
        const r = perm[s + j]!;
        xs.set(train.X.subarray(r * p, (r + 1) * p), j * p);
        ys[j] = train.y[r]!;
      }
      tf.tidy(() => {
        const x = tf.tensor4d(xs, [o.batch, MNIST_SIDE, MNIST_SIDE, 1]), y = tf.oneHot(tf.tensor1d(ys, "int32"), 10);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tfjs.Tensor) as tfjs.Scalar);
      });
      res.steps++;
    }
    const acc = obj.accuracy(obj.weights(), test);
    res.accuracy.push(acc); res.cpuSeconds.push(cpuSeconds() - t0);
    o.onEpoch?.({ epoch, accuracy: acc, cpuSeconds: cpuSeconds() - t0 });
  }
  opt.dispose();
  return res;
}
