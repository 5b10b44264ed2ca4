// A Conv2DBackpropFilter kernel (the gradient of a 2-D convolution with respect to its filter)
// for TF.js's "cpu" and "wasm" backends. Why: the wasm backend has none (a conv net cannot train
// on it), and the cpu backend's reads every element through a varargs TensorBuffer.get — ≈ 100×
// slower than the plain loop below (measured in docs/tfjs.md), and the dominant cost of a CNN's
// gradient. The math is the definition, NHWC, dilation 1:
//   dW[r, c, i, o] = Σ_b Σ_y Σ_x  X[b, y·s_h + r − pad_top, x·s_w + c − pad_left, i] · dY[b, y, x, o]
// (terms whose input position falls in the padding are zero). Other layouts fall back to the
// backend's own kernel, where it has one.
import * as tf from "@tensorflow/tfjs-core";
import { FedquantError } from "../errors.js";

const NAME = "Conv2DBackpropFilter";

interface Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** What the kernel needs of a backend: read a tensor's values and make an output from values. */
interface AnyBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** dW of the file comment, from X (NHWC values) and dY; exported for the tests. */
export function convFilterGrad(x: Float32Array, xShape: readonly number[], dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const [B, H, W, C1] = xShape as [number, number, number, number];
  const { outHeight: OH, outWidth: OW, outChannels: C2, filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  // accumulate in f64: each dW entry sums B·OH·OW products
  const acc = new Float64Array(FH * FW * C1 * C2);
  for (let b = 0; b < B; b++) {
    for (let yr = 0; yr < OH; yr++) {
      for (let r = 0; r < FH; r++) {
        const xr = yr * SH + r - top;
        if (xr < 0 || xr >= H) continue;
        for (let yc = 0; yc < OW; yc++) {
          const dyOff = ((b * OH + yr) * OW + yc) * C2;
          for (let c = 0; c < FW; c++) {
            const xc = yc * SW + c - left;
            if (xc < 0 || xc >= W) continue;
            const xOff = ((b * H + xr) * W + xc) * C1;
            let wOff = (r * FW + c) * C1 * C2;
            for (let i = 0; i < C1; i++, wOff += C2) {
              const xv = x[xOff + i]!;
              if (xv === 0) continue; // ReLU outputs and MNIST backgrounds are mostly zeros
              for (let o = 0; o < C2; o++) acc[wOff + o]! += xv * dy[dyOff + o]!;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}

function asF32(v: tf.backend_util.BackendValues): Float32Array {
  if (v instanceof Float32Array) return v;
  if (v instanceof Int32Array || v instanceof Uint8Array) return Float32Array.from(v);
  throw new FedquantError("E_INPUT", "Conv2DBackpropFilter: string tensors have no gradient");
}

const installed = new Set<string>();

/**
 * Registers the kernel of the file comment for `backendName` ("cpu" or "wasm"), replacing the
 * backend's own (kept for NCHW). Idempotent. Returns whether it was (already) installed.
 */
export function installConvFilterGrad(backendName: "cpu" | "wasm"): boolean {
  if (installed.has(backendName)) return true;
  let fallback: tf.KernelFunc | undefined;
  try { fallback = tf.getKernel(NAME, backendName)?.kernelFunc; } catch { fallback = undefined; }
  if (fallback) tf.unregisterKernel(NAME, backendName);
  tf.registerKernel({
    kernelName: NAME,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as Attrs;
      const x = inputs.x!, dy = inputs.dy!;
      if (a.dataFormat === "NCHW") {
        if (fallback) return fallback({ inputs, backend, attrs });
        throw new FedquantError("E_CONFIG", `Conv2DBackpropFilter on "${backendName}": only NHWC (channels last) is supported`);
      }
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
      const be = backend as AnyBackend;
      const dw = convFilterGrad(asF32(be.readSync(x.dataId)), x.shape, asF32(be.readSync(dy.dataId)), info);
      // both backends have a makeOutput, with different signatures: wasm's takes (shape, dtype, offset, values)
      if (backendName === "wasm") return be.makeOutput!([...a.filterShape], "float32", undefined, dw);
      return be.makeTensorInfo!([...a.filterShape], "float32", dw);
    },
  });
  installed.add(backendName);
  return true;
}
