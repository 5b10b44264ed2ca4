// One-hidden-layer perceptron with softmax cross-entropy (spec/optimization.md "Models with exact
// gradients"; the shallow Bayesian net of spec/experiments.md E4): z = W2 act(W1 x + b1) + b2.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import { checkPositiveInt, checkRidge, checkShapes } from "./check.js";
import { dotAt } from "./linalg.js";
import { exactMethods } from "./objective.js";
import { classOf, logSumExp } from "./softmax.js";
import type { Classifier } from "./types.js";

export type Activation = "tanh" | "relu";

export interface MlpOptions { p: number; hidden: number; classes: number; ridge?: number; activation?: Activation }

/**
 * Offsets of the blocks of the flat parameter vector, in this order:
 *   W1  hidden × p, row-major (hidden unit k's input weights at w1 + k·p .. + p)
 *   b1  hidden
 *   W2  classes × hidden, row-major (class c's weights at w2 + c·hidden .. + hidden)
 *   b2  classes
 * dim = hidden·p + hidden + classes·hidden + classes. The ridge applies to every block.
 */
export interface MlpLayout { w1: number; b1: number; w2: number; b2: number; dim: number }

export interface MlpObjective extends Classifier {
  readonly p: number;
  readonly hidden: number;
  readonly activation: Activation;
  readonly layout: MlpLayout;
}

export function mlp(options: MlpOptions): MlpObjective {
  const p = checkPositiveInt("mlp", "p", options.p);
  const H = checkPositiveInt("mlp", "hidden", options.hidden);
  const C = checkPositiveInt("mlp", "classes", options.classes);
  const ridge = checkRidge("mlp", options.ridge ?? 0);
  const activation = options.activation ?? "tanh";
  if (activation !== "tanh" && activation !== "relu") throw new FedquantError("E_CONFIG", `mlp: activation must be "tanh" or "relu", got ${String(activation)}`);
  const relu = activation === "relu";
  const oW1 = 0, oB1 = H * p, oW2 = oB1 + H, oB2 = oW2 + C * H, dim = oB2 + C;
  // a typed error, not a RangeError from an allocation (issue #14 size sweep)
  if (dim > 2 ** 28 || H > 2 ** 24 || C > 2 ** 24) throw new FedquantError("E_CONFIG", `mlp: (p + 1) × hidden + (hidden + 1) × classes = ${dim} parameters; at most 2^28`);
  const layout: MlpLayout = Object.freeze({ w1: oW1, b1: oB1, w2: oW2, b2: oB2, dim });

  // Per-row scratch, allocated once: pre-activations, activations, logits, back-propagated errors.
  const a = new Float64Array(H), h = new Float64Array(H), z = new Float64Array(C);
  const dz = new Float64Array(C), da = new Float64Array(H);

  /** Forward pass of the row at offset o of X; returns log Σ exp(z). */
  function forward(w: Float64Array, X: Float64Array, o: number): number {
    for (let k = 0; k < H; k++) {
      const ak = w[oB1 + k]! + dotAt(w, oW1 + k * p, X, o, p);
      a[k] = ak;
      h[k] = relu ? (ak > 0 ? ak : 0) : Math.tanh(ak);
    }
    for (let c = 0; c < C; c++) z[c] = w[oB2 + c]! + dotAt(w, oW2 + c * H, h, 0, H);
    return logSumExp(z, C);
  }

  function sumLoss(w: Float64Array, X: Float64Array, y: Float64Array, m: number, rows?: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const cy = classOf("mlp", r, y[r]!, C);
      s += forward(w, X, r * p) - z[cy]!;
    }
    return s;
  }

  function sumGrad(w: Float64Array, X: Float64Array, y: Float64Array, m: number, out: Float64Array, rows?: ArrayLike<number>): void {
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const r = rows === undefined ? k : rows[k]!;
      const cy = classOf("mlp", r, y[r]!, C);
      const o = r * p;
      const lse = forward(w, X, o);
      // output layer: ∂ℓ/∂z_c = π_c − 1[c = y]
      for (let c = 0; c < C; c++) {
        const d = Math.exp(z[c]! - lse) - (c === cy ? 1 : 0);
        dz[c] = d;
        out[oB2 + c] += d;
        const oc = oW2 + c * H;
        for (let u = 0; u < H; u++) out[oc + u] += d * h[u]!;
      }
      // hidden layer: ∂ℓ/∂a_u = act'(a_u) Σ_c dz_c W2[c, u]; tanh' = 1 − h², relu' = 1[a > 0]
      for (let u = 0; u < H; u++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += dz[c]! * w[oW2 + c * H + u]!;
        da[u] = relu ? (a[u]! > 0 ? s : 0) : s * (1 - h[u]! * h[u]!);
      }
      for (let u = 0; u < H; u++) {
        const d = da[u]!;
        if (d === 0) continue;
        out[oB1 + u] += d;
        const ou = oW1 + u * p;
        for (let j = 0; j < p; j++) out[ou + j] += d * X[o + j]!;
      }
    }
  }

  return {
    name: "mlp",
    dim,
    ridge,
    classes: C,
    p,
    hidden: H,
    activation,
    layout,
    ...exactMethods("mlp", dim, p, ridge, sumLoss, sumGrad),
    // No smoothness(): the MLP loss is not globally L-smooth in closed form.
    predictProba(w, data) {
      checkShapes("mlp", dim, p, w, data);
      const out = new Float64Array(C * data.n);
      for (let r = 0; r < data.n; r++) {
        const lse = forward(w, data.X, r * p);
        for (let c = 0; c < C; c++) out[r * C + c] = Math.exp(z[c]! - lse);
      }
      return out;
    },
  };
}

/**
 * A small random start: weights N(0, s²/fan_in) with s = 1 for tanh (LeCun) and s = √2 for relu
 * (He), biases 0 — so the pre-activations start with unit-order variance whatever p is.
 */
export function initMlp(model: MlpObjective, stream: RandomStream): Float64Array {
  const { p, hidden: H, classes: C, layout } = model;
  const gain = model.activation === "relu" ? Math.SQRT2 : 1;
  const w = new Float64Array(layout.dim);
  const n1 = stream.normals(H * p), s1 = gain / Math.sqrt(p);
  for (let i = 0; i < H * p; i++) w[layout.w1 + i] = n1[i]! * s1;
  const n2 = stream.normals(C * H), s2 = 1 / Math.sqrt(H); // the output layer is linear
  for (let i = 0; i < C * H; i++) w[layout.w2 + i] = n2[i]! * s2;
  return w;
}
