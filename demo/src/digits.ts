// The demo's MNIST digits: the binary asset of ../mnist-asset.ts decoded to exactly the values of
// the `mnist` package, then the same seeded order as src/data/mnist-node.ts's mnistDigits, so a
// browser client builds bit for bit the shard a Node client (`fedquant join`) builds.
import { DataTag } from "../../src/data/browser.js";
import { FedquantError } from "../../src/errors.js";
import { RandomStream } from "../../src/random/index.js";
import type { Dataset } from "../../src/models/index.js";
import type { DigitsLoader } from "../../src/federation/transport/problem.js";

const PIXELS = 784;
/** code k → the package's value, a 3-decimal rounding of k/255 */
const VALUE = Float64Array.from({ length: 256 }, (_, k) => Number((k / 255).toFixed(3)));

export interface AllDigits { X: Float64Array; y: Float64Array; n: number }

/** Decode the asset (package order: all 0s, then all 1s, …). */
export function decodeDigits(bytes: Uint8Array): AllDigits {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 16 || v.getUint32(0, false) !== 0x46514d4e) throw new FedquantError("E_DATA", "the digits asset does not start with FQMN");
  const n = v.getUint32(8, true);
  if (v.getUint32(4, true) !== 1 || v.getUint32(12, true) !== PIXELS || bytes.length !== 16 + n + n * PIXELS) {
    throw new FedquantError("E_DATA", `the digits asset is not version 1 with ${PIXELS} pixels per digit, or has the wrong size (${bytes.length} bytes for ${n} digits)`);
  }
  const y = new Float64Array(n), X = new Float64Array(n * PIXELS);
  for (let r = 0; r < n; r++) y[r] = bytes[16 + r]!;
  const px = bytes.subarray(16 + n);
  for (let k = 0; k < X.length; k++) X[k] = VALUE[px[k]!]!;
  return { X, y, n };
}

/** The first `count` digits in the order of mnistDigits({ count, seed }). */
export function selectDigits(all: AllDigits, count: number, seed: number): Dataset {
  if (!(Number.isInteger(count) && count >= 1 && count <= all.n)) throw new FedquantError("E_CONFIG", `digits: count must be in 1..${all.n}, got ${count}`);
  const perm = RandomStream.of(seed, "data", DataTag.mnist, 0).permutation(all.n);
  const X = new Float64Array(count * PIXELS), y = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const r = perm[k]!;
    X.set(all.X.subarray(r * PIXELS, (r + 1) * PIXELS), k * PIXELS);
    y[k] = all.y[r]!;
  }
  return { n: count, p: PIXELS, X, y };
}

/**
 * The held-out test digits: the last `count` of the same seeded order, so they are disjoint from
 * the first `count'` training digits whenever count + count' ≤ all.n (settings.ts keeps
 * training ≤ 9,000 of the 10,000 for the 1,000 test digits).
 */
export function heldOutDigits(all: AllDigits, count: number, seed: number): Dataset {
  if (!(Number.isInteger(count) && count >= 1 && count <= all.n)) throw new FedquantError("E_CONFIG", `test digits: count must be in 1..${all.n}, got ${count}`);
  const perm = RandomStream.of(seed, "data", DataTag.mnist, 0).permutation(all.n);
  const X = new Float64Array(count * PIXELS), y = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const r = perm[all.n - count + k]!;
    X.set(all.X.subarray(r * PIXELS, (r + 1) * PIXELS), k * PIXELS);
    y[k] = all.y[r]!;
  }
  return { n: count, p: PIXELS, X, y };
}

const cache = new Map<string, Promise<AllDigits>>();

/** All digits of the asset at `url` (fetched and decoded once per page or worker). */
export function allDigits(url: string): Promise<AllDigits> {
  let all = cache.get(url);
  if (!all) {
    all = fetch(url).then(async (res) => {
      if (!res.ok) throw new FedquantError("E_DATA", `could not fetch the digits from ${url}: HTTP ${res.status}`);
      return decodeDigits(new Uint8Array(await res.arrayBuffer()));
    });
    cache.set(url, all);
  }
  return all;
}

/** A DigitsLoader over the asset at `url`. */
export function digitsLoader(url: string): DigitsLoader {
  return async (count, seed) => selectDigits(await allDigits(url), count, seed);
}
