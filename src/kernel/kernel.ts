// The one owner of wasm pointers: a scratch arena over linear memory and typed wrappers of
// every kernel export. Inputs are copied in through fresh typed-array views (views are made
// per call, so memory.grow never leaves a stale one), outputs are copied out.
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import { RandomStream } from "../random/index.js";
import { instantiateKernel, pickFlavour, type Flavour, type FlavourChoice, type KernelExports, type LoadOptions } from "./load.js";

const PAGE = 65536;
/** Kernels may read 8 bytes past an input (bit readers) and write whole 16-byte blocks. */
const SLACK = 16;
/** Values per window of the chunked kernels (256 KiB of f32; a multiple of 8). */
const WINDOW_DEFAULT = 1 << 16;
/** Buckets per window of the chunked Voronoi search (measured: bench/suites/voronoi.ts). */
const VORONOI_WINDOW = 512;

export class Kernel {
  private top: number;
  private readonly base: number;

  constructor(readonly raw: KernelExports, readonly flavour: Flavour) {
    this.base = raw.heapBase();
    this.top = this.base;
  }

  // ---- arena ---------------------------------------------------------------------------

  /** Reserve `bytes` (16-aligned, zero-initialised) and return the pointer. */
  alloc(bytes: number): number {
    const ptr = this.allocRaw(bytes);
    new Uint8Array(this.raw.memory.buffer, ptr, bytes).fill(0);
    return ptr;
  }

  /**
   * Reserve `bytes` for a buffer the caller overwrites in full: only the slack past its end is
   * zeroed (readers may load 8 bytes beyond an input), not the buffer itself.
   */
  allocRaw(bytes: number): number {
    const ptr = this.top;
    const end = ptr + ((bytes + SLACK + 15) & ~15);
    const mem = this.raw.memory;
    if (end > mem.buffer.byteLength) {
      const pages = Math.ceil((end - mem.buffer.byteLength) / PAGE);
      try { mem.grow(pages); } catch (e) {
        throw new FedquantError("E_WASM", `kernel memory cannot grow to ${end} bytes`, { cause: e });
      }
    }
    new Uint8Array(mem.buffer, ptr + bytes, end - ptr - bytes).fill(0);
    this.top = end;
    return ptr;
  }

  /** Grow the arena's LAST allocation `ptr` to `bytes` (its contents stay; memory may grow). */
  extendLast(ptr: number, bytes: number): void {
    const end = ptr + ((bytes + SLACK + 15) & ~15);
    if (end <= this.top) return;
    const mem = this.raw.memory;
    if (end > mem.buffer.byteLength) {
      try { mem.grow(Math.ceil((end - mem.buffer.byteLength) / PAGE)); } catch (e) {
        throw new FedquantError("E_WASM", `kernel memory cannot grow to ${end} bytes`, { cause: e });
      }
    }
    new Uint8Array(mem.buffer, ptr + bytes, end - ptr - bytes).fill(0);
    this.top = end;
  }

  /** Run fn with a scratch scope: everything allocated inside is released afterwards. */
  scope<T>(fn: () => T): T {
    const mark = this.top;
    try { return fn(); } finally { this.top = mark; }
  }

  /** Bytes of linear memory in use by the arena right now (for peak-memory reports). */
  get memoryBytes(): number { return this.raw.memory.buffer.byteLength; }

  f32(ptr: number, n: number): Float32Array { return new Float32Array(this.raw.memory.buffer, ptr, n); }
  i32(ptr: number, n: number): Int32Array { return new Int32Array(this.raw.memory.buffer, ptr, n); }
  u32(ptr: number, n: number): Uint32Array { return new Uint32Array(this.raw.memory.buffer, ptr, n); }
  u8(ptr: number, n: number): Uint8Array { return new Uint8Array(this.raw.memory.buffer, ptr, n); }

  putF32(x: Float32Array): number { const p = this.allocRaw(x.length * 4); this.f32(p, x.length).set(x); return p; }
  putBytes(x: Uint8Array): number { const p = this.allocRaw(x.length); this.u8(p, x.length).set(x); return p; }

  // ---- random fills ---------------------------------------------------------------------

  /** 4·nBlocks raw Philox words from the stream (advances it). */
  philoxWords(rng: RandomStream, nBlocks: number): Uint32Array {
    return this.scope(() => {
      const p = this.alloc(nBlocks * 16);
      const c = rng.take(nBlocks);
      this.raw.philoxFill(p, nBlocks, rng.k0, rng.k1, c >>> 0, Math.floor(c / 4294967296), rng.i0, rng.i1);
      return this.u32(p, nBlocks * 4).slice();
    });
  }

  /** Fill `out` with uniforms in (0,1) from the stream (consumes ⌈n/4⌉ blocks). */
  fillUniform(rng: RandomStream, out: Float32Array): Float32Array {
    return this.fill("fillUniform", rng, out);
  }

  /** Fill `out` with standard normals (Box–Muller, bit-identical to the TS twin). */
  fillNormal(rng: RandomStream, out: Float32Array): Float32Array {
    return this.fill("fillNormal", rng, out);
  }

  // through a window of WINDOW values (a multiple of 4: window w starts at block c + w/4, so the
  // values are those of one long fill) — linear memory O(window), not O(n)
  private fill(which: "fillUniform" | "fillNormal", rng: RandomStream, out: Float32Array): Float32Array {
    if (!(rng instanceof RandomStream)) throw new FedquantError("E_CONFIG", `${which}: rng must be a RandomStream, got ${describeValue(rng)}`);
    if (!(out instanceof Float32Array)) throw new FedquantError("E_INPUT", `${which}: out must be a Float32Array, got ${describeValue(out)}`);
    const n = out.length;
    const c = rng.take(Math.ceil(n / 4));
    return this.scope(() => {
      const w = Math.min(n, Kernel.valueWindow), p = this.allocRaw(Math.ceil(w / 4) * 16);
      for (let o = 0; o < n; o += w) {
        const m = Math.min(w, n - o), b = c + o / 4;
        this.raw[which](p, m, rng.k0, rng.k1, b >>> 0, Math.floor(b / 4294967296), rng.i0, rng.i1);
        out.set(this.f32(p, m), o);
      }
      return out;
    });
  }

  // ---- quantisation --------------------------------------------------------------------

  /** Signed QSGD levels sign(x_i)·ξ_i with ξ_i the stochastic rounding of |x_i|·scale, ≤ s. */
  qsgdRound(x: Float32Array, scale: number, s: number, rng: RandomStream): Int32Array {
    const n = x.length;
    return this.scope(() => {
      const px = this.putF32(x);
      const po = this.alloc(Math.ceil(n / 32) * 128);
      const c = rng.take(Math.ceil(n / 4));
      this.raw.qsgdRound(px, n, Math.fround(scale), s, po, rng.k0, rng.k1, c >>> 0, Math.floor(c / 4294967296), rng.i0, rng.i1);
      return this.i32(po, n).slice();
    });
  }

  /** Bit i set iff x_i < 0, LSB-first, ⌈n/8⌉ bytes. */
  signBits(x: Float32Array): Uint8Array {
    return this.scope(() => {
      const px = this.putF32(x);
      const po = this.alloc(Math.ceil(x.length / 8));
      this.raw.signBits(px, x.length, po);
      return this.u8(po, Math.ceil(x.length / 8)).slice();
    });
  }

  // ---- vectors -------------------------------------------------------------------------

  dot(a: Float32Array, b: Float32Array): number {
    if (a.length !== b.length) throw new FedquantError("E_DIM", `dot of lengths ${a.length} and ${b.length}`);
    return this.scope(() => this.raw.dot(this.putF32(a), this.putF32(b), a.length));
  }
  /** Σ a_i² in f64 (the value of one kernel `sumSquares` call; computed through windows). */
  sumSquares(a: Float32Array): number { return this.sumSquaresChunked(a); }
  norm2(a: Float32Array): number { return Math.sqrt(this.sumSquares(a)); }
  absSum(a: Float32Array): number { return this.scope(() => this.raw.absSum(this.putF32(a), a.length)); }
  /** y ← y + αx, in place on y. */
  axpy(y: Float32Array, alpha: number, x: Float32Array): Float32Array {
    if (y.length !== x.length) throw new FedquantError("E_DIM", `axpy of lengths ${y.length} and ${x.length}`);
    return this.scope(() => {
      const py = this.putF32(y);
      this.raw.axpy(py, Math.fround(alpha), this.putF32(x), x.length);
      y.set(this.f32(py, y.length));
      return y;
    });
  }
  /** Index of the first NaN/±Inf, or −1. */
  firstNonFinite(a: Float32Array): number {
    // through a window of WINDOW floats: a check must not cost a copy of the whole vector
    return this.scope(() => {
      const w = Math.min(a.length, Kernel.valueWindow), p = this.allocRaw(w * 4);
      for (let o = 0; o < a.length; o += w) {
        const part = a.subarray(o, o + w);
        this.f32(p, part.length).set(part);
        const r = this.raw.firstNonFinite(p, part.length);
        if (r >= 0) return o + r;
      }
      return -1;
    });
  }

  // ---- bit packing ---------------------------------------------------------------------

  /** n values of `width` bits (1..32) → ⌈n·width/8⌉ bytes (through a window of WINDOW values). */
  packFixed(values: Uint32Array | Int32Array, width: number): Uint8Array {
    checkWidth(width);
    const n = values.length, nBytes = Math.ceil((n * width) / 8);
    const u = values instanceof Int32Array ? new Uint32Array(values.buffer, values.byteOffset, n) : values;
    const out = new Uint8Array(nBytes);
    this.scope(() => {
      // a window of WINDOW values (a multiple of 8) ends on a byte boundary
      const w = Math.min(n, Kernel.valueWindow), ps = this.allocRaw(w * 4), pd = this.allocRaw(Math.ceil((w * width) / 8));
      for (let o = 0; o < n; o += w) {
        const m = Math.min(w, n - o);
        this.u32(ps, m).set(u.subarray(o, o + m));
        this.raw.packFixed(ps, m, width, pd);
        out.set(this.u8(pd, Math.ceil((m * width) / 8)), (o / 8) * width);
      }
    });
    return out;
  }

  /** Inverse of packFixed; `bytes` must hold at least ⌈n·width/8⌉ bytes. */
  unpackFixed(bytes: Uint8Array, n: number, width: number): Uint32Array {
    checkWidth(width);
    const need = Math.ceil((n * width) / 8);
    if (bytes.length < need) throw new FedquantError("E_DECODE", `packed field needs ${need} bytes, found ${bytes.length}`);
    const out = new Uint32Array(n);
    this.scope(() => {
      const w = Math.min(n, Kernel.valueWindow), ps = this.allocRaw(Math.ceil((w * width) / 8)), pd = this.allocRaw(w * 4);
      for (let o = 0; o < n; o += w) {
        const m = Math.min(w, n - o), from = (o / 8) * width, len = Math.ceil((m * width) / 8);
        this.u8(ps, len).set(bytes.subarray(from, from + len));
        this.u8(ps + len, 8).fill(0);
        this.raw.unpackFixed(ps, m, width, pd);
        out.set(this.u32(pd, m), o);
      }
    });
    return out;
  }

  /** QSGD Elias payload of signed levels: bytes and the exact bit count. */
  qsgdEliasEncode(levels: Int32Array): { bytes: Uint8Array; bits: number } {
    const n = levels.length;
    checkEliasLength(n);
    for (let i = 0; i < n; i++) {
      if (Math.abs(levels[i]!) > MAX_ELIAS_LEVEL) throw new FedquantError("E_INPUT", `QSGD level ${levels[i]} at ${i} is beyond the Elias coder's ±${MAX_ELIAS_LEVEL}`);
    }
    return this.scope(() => {
      const pl = this.alloc(n * 4);
      this.i32(pl, n).set(levels);
      // worst case per non-zero: gamma(run) ≤ 2·31+1, sign 1, gamma(level) ≤ 2·31+1
      const cap = Math.ceil((n * 128) / 8) + 16;
      const pd = this.alloc(cap);
      const bits = Number(this.raw.qsgdEliasEncode(pl, n, pd));
      return { bytes: this.u8(pd, Math.ceil(bits / 8)).slice(), bits };
    });
  }

  /** Decode an untrusted QSGD Elias payload of exactly `bits` bits into n levels in [−s, s]. */
  qsgdEliasDecode(bytes: Uint8Array, bits: number, n: number, s: number): Int32Array {
    checkEliasLength(n);
    if (!(Number.isSafeInteger(bits) && bits >= 0)) throw new FedquantError("E_DECODE", `payload bit count must be a non-negative integer, got ${bits}`);
    if (bits > bytes.length * 8) throw new FedquantError("E_DECODE", `payload claims ${bits} bits but holds ${bytes.length * 8}`);
    return this.scope(() => {
      const ps = this.putBytes(bytes);
      const po = this.alloc(n * 4);
      const rc = this.raw.qsgdEliasDecode(ps, BigInt(bits), n, s, po);
      if (rc !== 0) {
        const why = rc === -1 ? "a truncated or malformed Elias-gamma code" : rc === -2 ? "a zero run past the dimension" : `a level above s = ${s}`;
        throw new FedquantError("E_DECODE", `QSGD payload has ${why}`);
      }
      return this.i32(po, n).slice();
    });
  }

  // ---- Voronoi / codebooks (StoVoQ) ------------------------------------------------------
  // A codebook is the first M·d normals of the stream (codeword j = normals j·d … j·d+d−1, times
  // α, or normalised to norm α with CB_UNIT); drawing it advances the stream by ⌈M·d/4⌉ blocks.
  // See assembly/codebook.ts for the layout and src/kernel/twin-voronoi.ts for the TS twin.

  /** The blocked search layout of M codewords (⌈M/16⌉ blocks of (d+1) × 16 f32). Advances rng. */
  codebookBlocked(rng: RandomStream, M: number, d: number, alpha: number, mode = 0): Float32Array {
    checkCodebook(M, d, alpha);
    return this.scope(() => {
      const bytes = this.raw.codebookBytes(M, d);
      const pb = this.alloc(bytes);
      const c = rng.take(Math.ceil((M * d) / 4));
      this.raw.codebookBlocked(pb, M, d, Math.fround(alpha), mode, rng.k0, rng.k1, c >>> 0, Math.floor(c / 4294967296), rng.i0, rng.i1);
      return this.f32(pb, bytes / 4).slice();
    });
  }

  /** Rows (n × d, row-major) of the codewords `indices` of the codebook drawn from rng. Advances rng like codebookBlocked. */
  codewordRows(rng: RandomStream, M: number, d: number, alpha: number, indices: Uint32Array, mode = 0): Float32Array {
    checkCodebook(M, d, alpha);
    const n = indices.length;
    for (let t = 0; t < n; t++) {
      if (indices[t]! >= M) throw new FedquantError("E_INPUT", `codeword index ${indices[t]} at ${t} is outside 0..${M - 1}`);
    }
    return this.scope(() => {
      const pi = this.alloc(n * 4);
      this.u32(pi, n).set(indices);
      const po = this.alloc(n * d * 4);
      const c = rng.take(Math.ceil((M * d) / 4));
      this.raw.codewordRows(po, pi, n, d, Math.fround(alpha), mode, rng.k0, rng.k1, c >>> 0, Math.floor(c / 4294967296), rng.i0, rng.i1);
      return this.f32(po, n * d).slice();
    });
  }

  /** argmax_j ⟨x_i, c_j⟩ + bias_j for each d-row x_i of `buckets`, over a blocked codebook of M codewords. */
  voronoiSearch(buckets: Float32Array, d: number, book: Float32Array, M: number): { index: Uint32Array; score: Float32Array } {
    checkCodebook(M, d, 1);
    if (buckets.length % d !== 0) throw new FedquantError("E_DIM", `buckets hold ${buckets.length} values, not a multiple of d = ${d}`);
    const bytes = this.raw.codebookBytes(M, d);
    if (book.length * 4 !== bytes) throw new FedquantError("E_DIM", `a blocked codebook of ${M} × ${d} has ${bytes / 4} floats, got ${book.length}`);
    return this.scope(() => {
      return this.searchIn(buckets, d, this.putF32(book), M);
    });
  }

  /**
   * Draw a codebook from rng (advancing it) and search it for every d-row of `buckets`. The rows
   * stream through a window of VORONOI_WINDOW buckets (bench/suites/voronoi.ts measured the
   * size): linear memory is the codebook plus the window at any D, and the engine's optimising
   * tier takes over after the first windows instead of one long call staying on the baseline tier.
   */
  voronoiQuantize(rng: RandomStream, buckets: Float32Array, d: number, M: number, alpha: number, mode = 0): { index: Uint32Array; score: Float32Array } {
    checkCodebook(M, d, alpha);
    if (buckets.length % d !== 0) throw new FedquantError("E_DIM", `buckets hold ${buckets.length} values, not a multiple of d = ${d}`);
    return this.scope(() => {
      const pb = this.allocRaw(this.raw.codebookBytes(M, d));
      const c = rng.take(Math.ceil((M * d) / 4));
      this.raw.codebookBlocked(pb, M, d, Math.fround(alpha), mode, rng.k0, rng.k1, c >>> 0, Math.floor(c / 4294967296), rng.i0, rng.i1);
      return this.searchIn(buckets, d, pb, M);
    });
  }

  private searchIn(buckets: Float32Array, d: number, pb: number, M: number): { index: Uint32Array; score: Float32Array } {
    const nb = buckets.length / d;
    const index = new Uint32Array(nb), score = new Float32Array(nb);
    const w = Math.min(nb, Kernel.voronoiWindow);
    const px = this.allocRaw(w * d * 4), pi = this.allocRaw(w * 4), ps = this.allocRaw(w * 4);
    for (let o = 0; o < nb; o += w) {
      const m = Math.min(w, nb - o);
      this.f32(px, m * d).set(buckets.subarray(o * d, (o + m) * d));
      this.raw.voronoiSearch(px, m, d, pb, M, pi, ps);
      index.set(this.u32(pi, m), o);
      score.set(this.f32(ps, m), o);
    }
    return { index, score };
  }

  /** Buckets per window of the chunked Voronoi search (see voronoiQuantize). */
  static voronoiWindow = VORONOI_WINDOW;
  /**
   * Coordinates (or Elias codes) per call of the message kernels (messages.ts): a message runs as
   * calls of about a millisecond, so V8's optimising tier replaces the baseline code within the
   * first message (one long call would run on the baseline tier to its end). A multiple of 1024.
   */
  static messageWindow = 1 << 16;
  /** Values per window of the other chunked kernels; a multiple of 8 (tests lower it). */
  static valueWindow = WINDOW_DEFAULT;

  /** Σ x_i² in f64 in the order of one `sumSquares` call, through a window of WINDOW values. */
  sumSquaresChunked(a: Float32Array): number {
    return this.scope(() => {
      const w = Math.min(a.length, Kernel.valueWindow), p = this.allocRaw(w * 4), st = this.alloc(48);
      let r = 0;
      for (let o = 0; o < a.length; o += w) {
        const part = a.subarray(o, o + w);
        this.f32(p, part.length).set(part);
        r = (this.raw as unknown as { dotStep(a: number, b: number, n: number, st: number, last: number): number })
          .dotStep(p, p, part.length, st, o + w >= a.length ? 1 : 0);
      }
      return r;
    });
  }
}

/** Codebook mode flags (assembly/codebook.ts): unit-norm codewords; zero bias (search argmax ⟨x, c⟩). */
export const CB_UNIT = 1, CB_ZERO_BIAS = 2;
/** Largest bucket dimension and codebook size the kernel accepts. */
export const MAX_BUCKET_DIM = 256, MAX_CODEBOOK = 1 << 22;

function checkCodebook(M: number, d: number, alpha: number): void {
  if (!Number.isInteger(d) || d < 1 || d > MAX_BUCKET_DIM) throw new FedquantError("E_CONFIG", `bucket dimension d must be an integer in 1..${MAX_BUCKET_DIM}, got ${d}`);
  if (!Number.isInteger(M) || M < 1 || M > MAX_CODEBOOK) throw new FedquantError("E_CONFIG", `codebook size M must be an integer in 1..${MAX_CODEBOOK}, got ${M}`);
  if (Math.ceil(M / 16) * (d + 1) * 64 > 2 ** 30) throw new FedquantError("E_CONFIG", `a codebook of ${M} × ${d} would take more than 1 GiB`);
  if (!(Number.isFinite(alpha) && alpha > 0 && Math.fround(alpha) > 0 && Number.isFinite(Math.fround(alpha)))) throw new FedquantError("E_CONFIG", `codebook scale α must be a positive finite float32, got ${alpha}`);
}

/**
 * The Elias coder's limits (assembly/bits.ts): a gamma code is read from one 57-bit window, so
 * values stay below 2^29 — zero runs within 2^28 coordinates (the wire's MAX_DIM) and levels
 * (QSGD's s ≤ 2^24) far inside.
 */
const MAX_ELIAS_LENGTH = 2 ** 28, MAX_ELIAS_LEVEL = 2 ** 29 - 1;

function checkEliasLength(n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= MAX_ELIAS_LENGTH)) throw new FedquantError("E_DIM", `the Elias coder handles 0..2^28 levels, got ${n}`);
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > 32) throw new FedquantError("E_CONFIG", `bit width must be 1..32, got ${width}`);
}

let current: Kernel | null = null;
let pending: Promise<Kernel> | null = null;

// a wrong-typed option is named before any fetch (ready(3), ready({ source: "x.wasm" })); a
// wrong flavour is pickFlavour's E_CONFIG (it lists the accepted names)
function checkLoadOptions(opts: unknown): asserts opts is LoadOptions {
  if (!isPlainObject(opts)) throw new FedquantError("E_CONFIG", `ready / loadKernel options must be an object { flavour?, source? }, got ${describeValue(opts)}`);
  if (opts.flavour !== undefined) pickFlavour(opts.flavour as FlavourChoice);
  if (opts.source !== undefined && !isPlainObject(opts.source)) throw new FedquantError("E_CONFIG", `kernel source must be an object { simd?, scalar?, relaxed? } of URLs, paths or bytes, got ${describeValue(opts.source)}`);
}

/** Load a kernel instance (independent memory), e.g. to test both flavours side by side. */
export async function loadKernel(opts: LoadOptions = {}): Promise<Kernel> {
  checkLoadOptions(opts);
  const { exports, flavour } = await instantiateKernel(opts);
  return new Kernel(exports, flavour);
}

/** Load the default kernel once; `await ready()` before using compressors. */
export function ready(opts: LoadOptions = {}): Promise<Kernel> {
  try { checkLoadOptions(opts); } catch (e) { return Promise.reject(e); }
  if (opts.flavour !== undefined || opts.source) {
    return loadKernel(opts).then((k) => (current = k));
  }
  if (current) return Promise.resolve(current);
  pending ??= loadKernel(opts).then((k) => (current = k));
  return pending;
}

/** The kernel in use; throws E_NOT_READY before `await ready()`. */
export function kernel(): Kernel {
  if (!current) throw new FedquantError("E_NOT_READY", "the wasm kernel is not loaded: `await ready()` first");
  return current;
}

/** Make `k` the kernel used by compressors (tests run the suite against both flavours). */
export function useKernel(k: Kernel): void { current = k; }
