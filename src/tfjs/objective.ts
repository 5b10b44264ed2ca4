// TF.js models as fedquant gradient oracles. A tf.LayersModel (or any list of tf.Variables with a
// loss function) becomes an Objective — the interface of fedquant's own models (src/models/types.ts)
// — so the simulator, every algorithm and every sampler drive it unchanged: w (Float64, the flat
// layout of layout.ts) is written into the variables, TF.js computes ∇ of the mean minibatch loss
// by reverse-mode autodiff (tf.variableGrads), and the gradient is flattened into `out`.
// Every tensor made per call lives inside tf.tidy or is disposed explicitly (leak test in
// test/tfjs/leak.test.ts: tf.memory().numTensors flat over 1,000 rounds).
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { GradientOracle, OracleContext } from "../algorithms/index.js";
import { FedquantError } from "../errors.js";
import type { Dataset, Objective } from "../models/index.js";
import { WeightLayout } from "./layout.js";

/** labels (int32, shape [m]) and the model's outputs (shape [m, …]) → the mean loss over the m rows */
export type TfLossFn = (labels: tf.Tensor1D, outputs: tf.Tensor) => tf.Scalar;

export interface TfjsObjectiveOptions {
  /**
   * "sparse-softmax-cross-entropy" (default): outputs are logits [m, C], labels class ids —
   * mean −log softmax(z)_y; or your own mean loss.
   */
  loss?: "sparse-softmax-cross-entropy" | TfLossFn;
  /** the shape of one row, default the model's input shape without the batch axis; a row of data.X holds its product */
  inputShape?: readonly number[];
}

export interface TfjsObjective extends Objective {
  readonly layout: WeightLayout;
  /** the model's trainable variables, in layout order */
  readonly variables: readonly tf.Variable[];
  lossSum(w: Float64Array, data: Dataset, rows?: ArrayLike<number>): number;
  /** the current weights of the model as a flat vector (e.g. as w0 of a federated run) */
  weights(): Float64Array;
  /** outputs (n × outputs-per-row, row-major) at w on all rows of data, computed in chunks */
  predict(w: Float64Array, data: Dataset, chunk?: number): Float32Array;
  /** share of rows whose argmax output equals the label */
  accuracy(w: Float64Array, data: Dataset): number;
}

/** The trainable variables of a Layers model, in its own order (that of model.trainableWeights). */
export function trainableVariables(model: LayersModel): tf.Variable[] {
  if (!model || !Array.isArray(model.trainableWeights)) throw new FedquantError("E_CONFIG", "expected a tf.LayersModel (built, with trainable weights)");
  return model.trainableWeights.map((lv, i) => {
    const v = lv.read();
    if (!(v instanceof tf.Variable)) throw new FedquantError("E_CONFIG", `trainable weight ${i} ("${lv.name}") is not a tf.Variable: is this model from the same @tensorflow/tfjs-core?`);
    return v;
  });
}

function sparseSoftmaxCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor): tf.Scalar {
  if (logits.rank !== 2) throw new FedquantError("E_DIM", `sparse-softmax-cross-entropy: the model's output should be [rows, classes] logits, got shape [${logits.shape}]`);
  // −mean_j log softmax(z_j)[y_j], with the log-sum-exp of logSoftmax (no overflow)
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1]!)), 1))) as tf.Scalar;
}

/** Rows `rows` (or all) of data as a float32 input batch and int32 labels. */
function batchOf(data: Dataset, inputShape: readonly number[], p: number, rows?: ArrayLike<number>, start = 0, end = data.n): { x: tf.Tensor; y: tf.Tensor1D } {
  const m = rows ? rows.length : end - start;
  const xs = new Float32Array(m * p), ys = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const r = rows ? rows[j]! : start + j;
    if (!(Number.isInteger(r) && r >= 0 && r < data.n)) throw new FedquantError("E_DIM", `row index ${r} is outside 0..${data.n - 1}`);
    xs.set(data.X.subarray(r * p, (r + 1) * p), j * p);
    ys[j] = data.y[r]!;
  }
  return { x: tf.tensor(xs, [m, ...inputShape], "float32"), y: tf.tensor1d(ys, "int32") };
}

/**
 * A TF.js Layers model as an Objective: F(w) = mean loss over the rows (no ridge). data.X rows
 * are flattened inputs (p = ∏ inputShape), data.y labels. Gradients are the model's own autodiff
 * gradients in float32, returned as float64.
 */
export function tfjsObjective(model: LayersModel, options: TfjsObjectiveOptions = {}): TfjsObjective {
  const variables = trainableVariables(model);
  const layout = WeightLayout.of(variables);
  const inputShape = options.inputShape ?? (model.inputs?.[0]?.shape ?? []).slice(1);
  if (inputShape.length === 0 || !inputShape.every((s) => Number.isInteger(s) && (s as number) > 0)) {
    throw new FedquantError("E_CONFIG", `tfjsObjective: the input shape must be known positive integers, got [${inputShape}] (pass options.inputShape)`);
  }
  const shape = inputShape as number[];
  const p = shape.reduce((a, b) => a * b, 1);
  const lossFn: TfLossFn = options.loss === undefined || options.loss === "sparse-softmax-cross-entropy" ? sparseSoftmaxCrossEntropy
    : typeof options.loss === "function" ? options.loss
    : (() => { throw new FedquantError("E_CONFIG", `tfjsObjective: loss must be "sparse-softmax-cross-entropy" or a function, got ${String(options.loss)}`); })();

  const checkData = (what: string, data: Dataset) => {
    if (!data || data.p !== p) throw new FedquantError("E_DIM", `tfjsObjective.${what}: data rows should have ${p} features (input shape [${shape}]), got ${data?.p}`);
  };
  const rowsOf = (data: Dataset, rows?: ArrayLike<number>) => {
    const m = rows ? rows.length : data.n;
    if (m < 1) throw new FedquantError("E_DIM", "tfjsObjective: no rows");
    return m;
  };

  const meanLoss = (w: Float64Array, data: Dataset, rows?: ArrayLike<number>): number => {
    checkData("loss", data);
    layout.assign(variables, w);
    rowsOf(data, rows);
    return tf.tidy(() => {
      const { x, y } = batchOf(data, shape, p, rows);
      return lossFn(y, model.apply(x, { training: false }) as tf.Tensor).dataSync()[0]!;
    });
  };
  const meanGrad = (w: Float64Array, data: Dataset, out: Float64Array, rows?: ArrayLike<number>): Float64Array => {
    checkData("grad", data);
    layout.checkFlat(out, "tfjsObjective.grad (out)");
    layout.assign(variables, w);
    rowsOf(data, rows);
    tf.tidy(() => {
      const { x, y } = batchOf(data, shape, p, rows);
      const { value, grads } = tf.variableGrads(() => lossFn(y, model.apply(x, { training: true }) as tf.Tensor), variables);
      layout.flattenNamed(grads, out);
      // variableGrads' results are made outside this tidy's tracking of kept tensors: dispose them here
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
    });
    return out;
  };

  const predict = (w: Float64Array, data: Dataset, chunk = 500): Float32Array => {
    checkData("predict", data);
    layout.assign(variables, w);
    let res: Float32Array | undefined;
    let width = 0;
    for (let s = 0; s < data.n; s += chunk) {
      const e = Math.min(data.n, s + chunk);
      const vals = tf.tidy(() => {
        const { x } = batchOf(data, shape, p, undefined, s, e);
        return (model.apply(x, { training: false }) as tf.Tensor).dataSync() as Float32Array;
      });
      if (!res) { width = vals.length / (e - s); res = new Float32Array(data.n * width); }
      res.set(vals, s * width);
    }
    return res ?? new Float32Array(0);
  };

  return {
    name: `tfjs:${model.name}`,
    dim: layout.dim,
    layout,
    variables,
    weights: () => Float64Array.from(layout.flatten(variables)),
    loss: meanLoss,
    grad: meanGrad,
    // the data-term sums the samplers use: m × the mean (there is no ridge term)
    lossSum: (w, data, rows) => meanLoss(w, data, rows) * rowsOf(data, rows),
    gradSum(w, data, out, rows) {
      meanGrad(w, data, out, rows);
      const m = rowsOf(data, rows);
      for (let j = 0; j < out.length; j++) out[j] = out[j]! * m;
      return out;
    },
    predict,
    accuracy(w, data) {
      const out = predict(w, data);
      const C = out.length / data.n;
      let hit = 0;
      for (let i = 0; i < data.n; i++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (out[i * C + c]! > out[i * C + best]!) best = c;
        if (best === data.y[i]) hit++;
      }
      return hit / data.n;
    },
  };
}

/**
 * A gradient oracle over any tf.Variables and a loss you write (e.g. a model that is not a Layers
 * model): `loss(ctx)` returns the scalar to differentiate for this client and round (draw its
 * minibatch from ctx). The oracle writes w into the variables, differentiates, flattens ∇ into out.
 */
export function variablesOracle(variables: readonly tf.Variable[], loss: (ctx: OracleContext) => tf.Scalar): GradientOracle & { layout: WeightLayout } {
  const layout = WeightLayout.of(variables);
  const oracle = (w: Float64Array, out: Float64Array, ctx: OracleContext) => {
    layout.checkFlat(out, "variablesOracle (out)");
    layout.assign(variables, w);
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => loss(ctx), [...variables]);
      layout.flattenNamed(grads, out);
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
    });
  };
  return Object.assign(oracle, { layout });
}
