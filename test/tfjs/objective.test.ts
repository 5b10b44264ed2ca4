// tfjsObjective: a TF.js model's autodiff gradient is the gradient of the mean loss, it plugs into
// fedquant's algorithms, and with identity compressors a federated SGD run is TF.js's own
// centralised minibatch SGD on the same batches.
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/federation/simulator.js";
import { minibatchRows } from "../../src/federation/simulator-oracle.js";
import { toSeed } from "../../src/algorithms/index.js";
import type { Dataset } from "../../src/models/index.js";
import { RandomStream, ready } from "../../src/index.js";
import { tfjsObjective, variablesOracle } from "../../src/tfjs/index.js";
import { backend, tf } from "./setup.js";

beforeAll(async () => { await ready(); await backend("cpu"); });

function gaussianData(n: number, p: number, C: number, seed: number): Dataset {
  const rng = RandomStream.of(seed, "test", n, p);
  const X = Float64Array.from(rng.normals(n * p));
  const y = Float64Array.from(rng.uniforms(n), (u) => Math.floor(u * C));
  return { n, p, X, y };
}

describe("tfjsObjective", () => {
  it("a dense softmax layer's gradient is the closed form (1/m) Σ_j x_j (softmax(W x_j + b) − e_{y_j})", () => {
    const p = 5, C = 3, data = gaussianData(40, p, C, 1);
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [p], units: C })] });
    const obj = tfjsObjective(model);
    expect(obj.dim).toBe(p * C + C);
    const w = Float64Array.from(RandomStream.of(2, "test").normals(obj.dim), (v) => 0.5 * v);
    const rows = [3, 17, 0, 25, 39, 8];
    const got = obj.grad(w, data, new Float64Array(obj.dim), rows);
    // layout: kernel [p, C] row-major then bias [C]
    const want = new Float64Array(obj.dim);
    let lossWant = 0;
    for (const r of rows) {
      const z = Array.from({ length: C }, (_, c) => { let s = w[p * C + c]!; for (let i = 0; i < p; i++) s += data.X[r * p + i]! * w[i * C + c]!; return s; });
      const mx = Math.max(...z), e = z.map((v) => Math.exp(v - mx)), Z = e.reduce((a, b) => a + b);
      lossWant += -(z[data.y[r]!]! - mx - Math.log(Z)) / rows.length;
      for (let c = 0; c < C; c++) {
        const d = (e[c]! / Z - (c === data.y[r] ? 1 : 0)) / rows.length;
        for (let i = 0; i < p; i++) want[i * C + c]! += data.X[r * p + i]! * d;
        want[p * C + c]! += d;
      }
    }
    // float32 forward/backward against a float64 closed form: a few float32 ulps of O(1) terms
    for (let j = 0; j < obj.dim; j++) expect(Math.abs(got[j]! - want[j]!)).toBeLessThan(1e-5);
    expect(Math.abs(obj.loss(w, data, rows) - lossWant)).toBeLessThan(1e-5);
    // the samplers' sums: m × the means
    const sum = obj.gradSum(w, data, new Float64Array(obj.dim), rows);
    for (let j = 0; j < obj.dim; j++) expect(sum[j]).toBeCloseTo(rows.length * got[j]!, 5);
    expect(obj.lossSum(w, data, rows)).toBeCloseTo(rows.length * obj.loss(w, data, rows), 5);
  });

  it("wrong w, out or data widths are E_DIM; an unknown loss is E_CONFIG", () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    const obj = tfjsObjective(model);
    const data = gaussianData(10, 4, 2, 3);
    expect(() => obj.grad(new Float64Array(obj.dim - 1), data, new Float64Array(obj.dim))).toThrow(expect.objectContaining({ code: "E_DIM" }));
    expect(() => obj.grad(new Float64Array(obj.dim), data, new Float64Array(3))).toThrow(expect.objectContaining({ code: "E_DIM" }));
    expect(() => obj.loss(new Float64Array(obj.dim), gaussianData(10, 5, 2, 3))).toThrow(expect.objectContaining({ code: "E_DIM" }));
    expect(() => obj.grad(new Float64Array(obj.dim), data, new Float64Array(obj.dim), [10])).toThrow(expect.objectContaining({ code: "E_DIM" }));
    expect(() => tfjsObjective(model, { loss: "hinge" as never })).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });

  it("variablesOracle differentiates a user loss over tf.Variables: ∇ ½‖A v − b‖² = Aᵀ(A v − b)", () => {
    const A = [[1, 2], [3, -1], [0.5, 4]], b = [1, -2, 3];
    const v = tf.variable(tf.zeros([2, 1]), true, "v");
    const At = tf.tensor2d(A), bt = tf.tensor2d(b, [3, 1]);
    const oracle = variablesOracle([v], () => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.matMul(At, v), bt)))) as tf.Scalar);
    const w = Float64Array.of(0.25, -0.75), out = new Float64Array(2);
    oracle(w, out, { round: 0, client: 0 });
    const r = A.map((row, i) => row[0]! * w[0]! + row[1]! * w[1]! - b[i]!);
    const want = [0, 1].map((j) => A.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
    expect(Math.abs(out[0]! - want[0]!)).toBeLessThan(1e-5);
    expect(Math.abs(out[1]! - want[1]!)).toBeLessThan(1e-5);
  });
});

describe("a fair bar", () => {
  it.each([
    { algorithm: "sgd", config: {} },
    { algorithm: "qsgd", config: { up: "identity" } },
    { algorithm: "artemis", config: { up: "identity", down: "identity" } }, // memories cancel: ĝ = mean h^i + mean(g^i − h^i)
  ])("federated $algorithm with identity compressors equals TF.js's centralised minibatch SGD on the same batches", ({ algorithm, config }) => {
    const clients = 4, b = 5, rounds = 8, gamma = 0.1, seed = 11;
    const side = 8, p = side * side;
    const mk = () => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [side, side, 1], filters: 3, kernelSize: 3, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
    ] });
    const workers = Array.from({ length: clients }, (_, i) => {
      const d = gaussianData(12, p, 4, 20 + i);
      return { ...d, X: d.X.map((v) => Math.max(0, v)) }; // image-like: non-negative pixels
    });
    const fedModel = mk(), tfModel = mk();
    const obj = tfjsObjective(fedModel);
    const w0 = obj.weights();
    const res = simulate({ algorithm, gamma, config, objective: obj, workers, iterations: rounds, batchSize: b, seed, w0, evalEvery: rounds });

    // TF.js alone: each step, the union of the clients' minibatches (the simulator's rows, drawn
    // from the same Philox streams), the mean cross-entropy, tf.train.sgd(γ)
    const opt = tf.train.sgd(gamma);
    const perm = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
    for (let k = 0; k < rounds; k++) {
      const xs: number[] = [], ys: number[] = [];
      for (let i = 0; i < clients; i++) {
        const rows = minibatchRows(RandomStream.of(toSeed(seed), "minibatch", k, i), workers[i]!.n, new Uint32Array(b), perm(workers[i]!.n), new Uint32Array(b));
        for (const r of rows) { xs.push(...workers[i]!.X.subarray(r * p, (r + 1) * p)); ys.push(workers[i]!.y[r]!); }
      }
      tf.tidy(() => {
        const x = tf.tensor4d(xs, [clients * b, side, side, 1]), y = tf.oneHot(tf.tensor1d(ys, "int32"), 4);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tfModel.apply(x) as tf.Tensor) as tf.Scalar);
      });
    }
    const wTf = tfjsObjective(tfModel).weights();
    // The two differ only by float32 rounding: the federated gradient is a mean of 4 float32
    // client means (TF.js: one mean of 20 rows), applied in float64 (TF.js: float32). Each step
    // adds a few ulps (2^-24 ≈ 6e-8 relative) of γ‖g‖ ≲ 0.1; over 8 steps that is < 1e-6 — 1e-5
    // leaves room for the conv's summation order and still fails any real mismatch (a wrong
    // batch moves weights by ~γ‖g‖/20 ≈ 1e-3).
    let maxDiff = 0, moved = 0;
    for (let j = 0; j < w0.length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(res.finalW[j]! - wTf[j]!));
      moved = Math.max(moved, Math.abs(wTf[j]! - w0[j]!));
    }
    expect(moved).toBeGreaterThan(1e-3); // the runs did train
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
