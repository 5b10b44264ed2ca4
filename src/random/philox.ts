// Philox4x32-10 (Salmon et al. 2011; spec/random.md) in plain TypeScript: the reference twin
// of assembly/philox.ts, and the generator for code that does not go through the wasm kernel.
import { logPosF32, sinCosTurnsF32 } from "./mathf.js";

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

/** 32×32 → 64-bit product split in (hi, lo), exact in doubles via 16-bit halves. */
function mulHiLo(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  const aH = a >>> 16, aL = a & 0xffff, bH = b >>> 16, bL = b & 0xffff;
  const mid = aH * bL + aL * bH; // < 2^33
  const hi = (aH * bH + Math.floor((aL * bL + (mid % 65536) * 65536) / 4294967296) + Math.floor(mid / 65536)) >>> 0;
  return [hi, lo];
}

/** Writes block (n0, n1) of stream key (k0, k1), id (i0, i1) into out[off..off+3]. */
export function philoxBlock(out: Uint32Array, off: number, k0: number, k1: number,
  n0: number, n1: number, i0: number, i1: number): void {
  let c0 = n0 >>> 0, c1 = n1 >>> 0, c2 = i0 >>> 0, c3 = i1 >>> 0;
  let a = k0 >>> 0, b = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const [hi0, lo0] = mulHiLo(M0, c0);
    const [hi1, lo1] = mulHiLo(M1, c2);
    c0 = (hi1 ^ c1 ^ a) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ b) >>> 0;
    c3 = lo0;
    a = (a + W0) >>> 0;
    b = (b + W1) >>> 0;
  }
  out[off] = c0; out[off + 1] = c1; out[off + 2] = c2; out[off + 3] = c3;
}

/** nBlocks consecutive blocks from block counter `counter` (an integer < 2^53). */
export function philoxWords(nBlocks: number, k0: number, k1: number, counter: number, i0: number, i1: number): Uint32Array {
  const out = new Uint32Array(nBlocks * 4);
  for (let b = 0; b < nBlocks; b++) {
    const n = counter + b;
    philoxBlock(out, 4 * b, k0, k1, n % 4294967296, Math.floor(n / 4294967296), i0, i1);
  }
  return out;
}

/** u = ((x >>> 8) + 0.5) · 2^-24 ∈ (0, 1), exact in f32. */
export function u32ToUniform(x: number): number {
  return ((x >>> 8) + 0.5) * 5.9604644775390625e-8;
}

/** u = (hi·2^21 + (lo >>> 11) + 0.5) · 2^-53 ∈ (0, 1): 53 random bits, exact in f64. */
export function u32PairToUniform53(hi: number, lo: number): number {
  return ((hi >>> 0) * 2097152 + (lo >>> 11) + 0.5) * 1.1102230246251565e-16;
}

/** Box–Muller on the word pairs (0,1), (2,3) of each block; 4 normals per block. */
export function wordsToNormals(words: Uint32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let b = 0; 4 * b < n; b++) {
    const ra = Math.fround(Math.sqrt(Math.fround(-2 * logPosF32(u32ToUniform(words[4 * b]!)))));
    const rb = Math.fround(Math.sqrt(Math.fround(-2 * logPosF32(u32ToUniform(words[4 * b + 2]!)))));
    const [ca, sa] = sinCosTurnsF32(u32ToUniform(words[4 * b + 1]!));
    const [cb, sb] = sinCosTurnsF32(u32ToUniform(words[4 * b + 3]!));
    const z = [ra * ca, ra * sa, rb * cb, rb * sb];
    for (let j = 0; j < 4 && 4 * b + j < n; j++) out[4 * b + j] = z[j]!;
  }
  return out;
}
