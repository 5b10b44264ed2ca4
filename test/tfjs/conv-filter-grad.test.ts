// fedquant's Conv2DBackpropFilter kernel against the definition written out naively:
//   dW[r, c, i, o] = Σ_b Σ_y Σ_x X[b, y·s + r − pad_top, x·s + c − pad_left, i] · dY[b, y, x, o]
// and, end to end, tf.grad of Σ conv2d(X, W)·dY with respect to W on the cpu and wasm backends.
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/random/index.js";
import { backend, tf } from "./setup.js";

function naive(x: Float32Array, [B, H, W, C1]: number[], dy: Float32Array, [OH, OW, C2]: number[], FH: number, FW: number, s: number, top: number, left: number): Float64Array {
  const out = new Float64Array(FH * FW * C1 * C2);
  for (let r = 0; r < FH; r++) for (let c = 0; c < FW; c++) for (let i = 0; i < C1; i++) for (let o = 0; o < C2; o++) {
    let sum = 0;
    for (let b = 0; b < B; b++) for (let y = 0; y < OH; y++) for (let xx = 0; xx < OW; xx++) {
      const xr = y * s + r - top, xc = xx * s + c - left;
      if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue;
      sum += x[((b * H + xr) * W + xc) * C1 + i]! * dy[((b * OH + y) * OW + xx) * C2 + o]!;
    }
    out[((r * FW + c) * C1 + i) * C2 + o] = sum;
  }
  return out;
}

const cases = [
  { name: "valid, stride 1", xs: [2, 7, 6, 3], f: [3, 3, 3, 4], s: 1, pad: "valid" as const },
  { name: "same, stride 2", xs: [3, 9, 8, 2], f: [5, 5, 2, 3], s: 2, pad: "same" as const },
  { name: "valid, stride 2, one channel", xs: [2, 10, 10, 1], f: [5, 5, 1, 8], s: 2, pad: "valid" as const },
];

describe.each(["cpu", "wasm"] as const)("Conv2DBackpropFilter on %s", (be) => {
  it.each(cases)("$name: tf.grad w.r.t. the filter equals the definition (float32 sums, rel. 1e-5)", async ({ xs, f, s, pad }) => {
    await backend(be);
    const rng = RandomStream.of(3, "test", 12, xs[1]!);
    const xv = Float32Array.from(rng.normals(xs.reduce((a, b) => a * b, 1)));
    const wv = Float32Array.from(rng.normals(f.reduce((a, b) => a * b, 1)));
    const X = tf.tensor4d(xv, xs as [number, number, number, number]);
    const Wt = tf.tensor4d(wv, f as [number, number, number, number]);
    const outShape = tf.conv2d(X, Wt, s, pad).shape;
    const dyv = Float32Array.from(rng.normals(outShape.reduce((a, b) => a * b, 1)));
    const dY = tf.tensor(dyv, outShape);
    const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(X, w as tf.Tensor4D, s, pad), dY)))(Wt);
    // TF's "same" padding: total = max((O−1)·s + F − I, 0), top = ⌊total/2⌋
    const padOf = (I: number, O: number, F: number) => pad === "valid" ? 0 : Math.floor(Math.max((O - 1) * s + F - I, 0) / 2);
    const want = naive(xv, xs, dyv, outShape.slice(1), f[0]!, f[1]!, s, padOf(xs[1]!, outShape[1]!, f[0]!), padOf(xs[2]!, outShape[2]!, f[1]!));
    const got = g.dataSync();
    // each entry sums ≤ B·OH·OW ≈ 300 products of N(0,1) values: float32 rounding is ~1e-7·√300·|terms|
    const scale = Math.max(...want.map(Math.abs));
    for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThanOrEqual(1e-5 * scale);
    tf.dispose([X, Wt, dY, g]);
  });
});
