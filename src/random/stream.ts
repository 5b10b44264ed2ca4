// RandomStream: a position in one Philox stream (spec/random.md "Streams"). The key is the
// 64-bit seed, the counter's high half is the 64-bit stream id, the low half the block index.
// Every draw advances the block index, so a stream never repeats a number.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { philoxWords, u32PairToUniform53, u32ToUniform, wordsToNormals } from "./philox.js";

/** What a stream's numbers are for: the top byte of the stream id (stable; never renumber). */
export const Purpose = {
  compress: 1,      // stochastic rounding, random coordinates of a compressor
  codebook: 2,      // StoVoQ / HSQ codebooks
  minibatch: 3,     // minibatch row sampling
  participation: 4, // client sampling
  langevin: 5,      // Langevin noise
  init: 6,          // model initialisation
  data: 7,          // synthetic data generation
  seeds: 8,         // per-round seeds handed out by a server
  backoff: 9,       // a client's reconnection jitter (seeded by its token)
  test: 255,        // tests and benchmarks
} as const;
export type PurposeName = keyof typeof Purpose;

/**
 * Stream id packing: high word = purpose (8 bits) << 24 | worker (24 bits), low word = round.
 * worker 0xFFFFFF is "the server"; round is an unsigned 32-bit step counter.
 */
export function streamId(purpose: PurposeName, round: number, worker: number): [number, number] {
  if (!Number.isInteger(round) || round < 0 || round > 0xffffffff) throw new FedquantError("E_CONFIG", `stream round must be a uint32 (an integer), got ${describeValue(round)}`);
  if (!Number.isInteger(worker) || worker < 0 || worker > 0xffffff) throw new FedquantError("E_CONFIG", `stream worker must be an integer in [0, 2^24), got ${describeValue(worker)}`);
  if (typeof purpose !== "string" || !Object.hasOwn(Purpose, purpose)) {
    throw new FedquantError("E_CONFIG", `stream purpose must be one of ${Object.keys(Purpose).map((k) => `"${k}"`).join(", ")} (a string), got ${describeValue(purpose)}`);
  }
  return [round >>> 0, ((Purpose[purpose] << 24) | worker) >>> 0];
}
export const SERVER = 0xffffff;

export class RandomStream {
  /** seed = key (k0 low, k1 high); id = (i0 low, i1 high); counter = next block index. */
  constructor(
    readonly k0: number, readonly k1: number,
    readonly i0: number, readonly i1: number,
    public counter = 0,
  ) {}

  /** A stream from a 64-bit seed (number < 2^53 or bigint) and named fields. */
  static of(seed: number | bigint, purpose: PurposeName, round = 0, worker = 0): RandomStream {
    const [k0, k1] = splitSeed(seed);
    const [i0, i1] = streamId(purpose, round, worker);
    return new RandomStream(k0, k1, i0, i1);
  }

  get seed(): bigint { return (BigInt(this.k1) << 32n) | BigInt(this.k0); }
  get id(): bigint { return (BigInt(this.i1) << 32n) | BigInt(this.i0); }

  /** Same stream, same position: what a receiver holds to regenerate shared randomness. */
  clone(): RandomStream { return new RandomStream(this.k0, this.k1, this.i0, this.i1, this.counter); }

  /** Reserve n blocks and return the counter of the first one. */
  take(nBlocks: number): number {
    const c = this.counter;
    this.counter += nBlocks;
    return c;
  }

  /** 4·nBlocks raw words. */
  words(nBlocks: number): Uint32Array {
    checkCount("words", nBlocks);
    return philoxWords(nBlocks, this.k0, this.k1, this.take(nBlocks), this.i0, this.i1);
  }

  /** n uniforms in (0, 1) (f32 values); consumes ⌈n/4⌉ blocks. */
  uniforms(n: number): Float32Array {
    checkCount("uniforms", n);
    const w = this.words(Math.ceil(n / 4));
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = u32ToUniform(w[i]!);
    return out;
  }

  /**
   * n uniforms in (0, 1) with 53-bit resolution (f64 values), one per word pair (0,1), (2,3) of
   * each block; consumes ⌈n/2⌉ blocks. For inverse-CDF draws over more than ~2^20 outcomes, where
   * the 2^-24 grid of the f32 uniforms would leave outcomes of small mass unreachable.
   */
  uniforms53(n: number): Float64Array {
    checkCount("uniforms53", n);
    const w = this.words(Math.ceil(n / 2));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = u32PairToUniform53(w[2 * i]!, w[2 * i + 1]!);
    return out;
  }

  /** n standard normals (f32 values, Box–Muller); consumes ⌈n/4⌉ blocks. */
  normals(n: number): Float32Array {
    checkCount("normals", n);
    return wordsToNormals(this.words(Math.ceil(n / 4)), n);
  }

  /** One uniform in (0,1) (consumes a whole block). */
  uniform(): number { return this.uniforms(1)[0]!; }

  /** Uniform integer in [0, n), n ≤ 2^32, by rejection (unbiased). Consumes ≥ 1 block. */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 4294967296)) throw new FedquantError("E_CONFIG", `RandomStream.int: n must be an integer 1 ≤ n ≤ 2^32, got ${describeValue(n)}`);
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const w = this.words(1);
      for (let j = 0; j < 4; j++) if (w[j]! < limit) return w[j]! % n;
    }
  }

  /** k distinct indices of [0, n), uniformly, in increasing order (Floyd's algorithm). */
  sampleWithoutReplacement(n: number, k: number): Uint32Array {
    if (!(Number.isInteger(n) && n >= 0 && n <= 4294967296)) {
      throw new FedquantError("E_CONFIG", `RandomStream.sampleWithoutReplacement: n must be an integer in [0, 2^32], got ${describeValue(n)}`);
    }
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw new FedquantError("E_CONFIG", `RandomStream.sampleWithoutReplacement: k must be an integer in [0, n = ${n}], got ${describeValue(k)}`);
    }
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return Uint32Array.from([...chosen].sort((a, b) => a - b));
  }

  /** A Fisher–Yates permutation of [0, n). */
  permutation(n: number): Uint32Array {
    checkCount("permutation", n);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!; p[i] = p[j]!; p[j] = t;
    }
    return p;
  }
}

/** 64-bit seed → (low word, high word). */
export function splitSeed(seed: number | bigint): [number, number] {
  if (typeof seed !== "bigint" && !(typeof seed === "number" && Number.isSafeInteger(seed))) {
    throw new FedquantError("E_CONFIG", `seed must be a safe integer or a bigint, got ${describeValue(seed)}`);
  }
  const s = typeof seed === "bigint" ? seed : BigInt(seed);
  if (s < 0n || s >= 1n << 64n) throw new FedquantError("E_CONFIG", `seed must be in [0, 2^64), got ${seed}`);
  return [Number(s & 0xffffffffn), Number(s >> 32n)];
}

/** A count of numbers or blocks to draw: a non-negative safe integer. */
// Bounded so that an absurd count is a typed error, not a RangeError from the typed-array
// allocation or a silent multi-GB fill: 2^28 numbers is 1 GiB of f32, far beyond any use here.
export const MAX_DRAW = 2 ** 28;
function checkCount(what: string, n: number): void {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new FedquantError("E_CONFIG", `RandomStream.${what}: the count must be a non-negative integer, got ${describeValue(n)}`);
  if (n > MAX_DRAW) throw new FedquantError("E_CONFIG", `RandomStream.${what}: the count must be at most 2^28 = ${MAX_DRAW}, got ${n}`);
}
