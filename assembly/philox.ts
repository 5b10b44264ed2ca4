// Philox4x32-10 counter-based RNG and its f32 uniform/normal conversions (spec/random.md;
// Salmon et al. 2011). SIMD path: 4 blocks in the 4 lanes, transposed back to stream order, so
// the output is bit-identical to the scalar path and to the TS twin (src/random/philox.ts).
import { kf, logPos, sinCosTurns, logPosSimd, sinCosTurnsSimd } from "./mathf";
import * as trig from "./mathf";

const M0: u32 = 0xD2511F53;
const M1: u32 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

// Block n of stream (key, id) → 4 u32 written at out (16 bytes). Scalar reference path.
@inline
export function philoxBlockScalar(out: usize, k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  let c0 = n0, c1 = n1, c2 = id0, c3 = id1;
  let a = k0, b = k1;
  for (let r = 0; r < 10; r++) {
    const p0: u64 = <u64>M0 * <u64>c0;
    const p1: u64 = <u64>M1 * <u64>c2;
    const hi0 = <u32>(p0 >>> 32), lo0 = <u32>p0;
    const hi1 = <u32>(p1 >>> 32), lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ a;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ b;
    c3 = lo0;
    a += W0;
    b += W1;
  }
  store<u32>(out, c0);
  store<u32>(out, c1, 4);
  store<u32>(out, c2, 8);
  store<u32>(out, c3, 12);
}

// 4 consecutive blocks n..n+3 in the lanes; writes 64 bytes at out in stream order.
@inline
export function philox4BlocksSimd(out: usize, k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  const base = i32x4.splat(n0);
  let c0 = i32x4.add(base, i32x4(0, 1, 2, 3));
  // carry into the high counter word for lanes whose low word wrapped
  let c1 = i32x4.sub(i32x4.splat(n1), i32x4.lt_u(c0, base));
  let c2 = i32x4.splat(id0);
  let c3 = i32x4.splat(id1);
  const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
  let a = k0, b = k1;
  for (let r = 0; r < 10; r++) {
    const pl0 = i64x2.extmul_low_i32x4_u(c0, m0), ph0 = i64x2.extmul_high_i32x4_u(c0, m0);
    const pl1 = i64x2.extmul_low_i32x4_u(c2, m1), ph1 = i64x2.extmul_high_i32x4_u(c2, m1);
    const hi0 = i32x4.shuffle(pl0, ph0, 1, 3, 5, 7), lo0 = i32x4.shuffle(pl0, ph0, 0, 2, 4, 6);
    const hi1 = i32x4.shuffle(pl1, ph1, 1, 3, 5, 7), lo1 = i32x4.shuffle(pl1, ph1, 0, 2, 4, 6);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(a));
    c1 = lo1;
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(b));
    c3 = lo0;
    a += W0;
    b += W1;
  }
  transposeStore(out, c0, c1, c2, c3);
}

// Round keys of the current stream, as lane vectors: (k0 + r·W0, k1 + r·W1) for r = 0..9, then
// the multipliers. Written once per kernel call (philoxKeys) and loaded by every 8-block step,
// instead of two splats per round of every step.
const KEYS: usize = memory.data(22 * 16, 16);

/** Set the round-key vectors of stream key (k0, k1) for philox8BlocksSimd and fillNormal. */
@inline export function philoxKeys(k0: u32, k1: u32): void {
  if (ASC_FEATURE_SIMD) {
    let a = k0, b = k1;
    for (let r = 0; r < 10; r++) {
      v128.store(KEYS + (<usize>r << 5), i32x4.splat(a));
      v128.store(KEYS + (<usize>r << 5) + 16, i32x4.splat(b));
      a += W0; b += W1;
    }
    v128.store(KEYS + 320, i32x4.splat(M0));
    v128.store(KEYS + 336, i32x4.splat(M1));
  }
}

// 8 consecutive blocks n..n+7 as two independent 4-lane groups interleaved in one loop (a
// Philox round is a chain of dependent multiply → shuffle → xor, so one group alone leaves
// the core waiting on latency), round keys from philoxKeys; written in stream order (128 bytes
// at out) straight from the lanes. fillNormal runs the same rounds inline, keeping the lanes.
@inline
export function philox8BlocksSimd(out: usize, n0: u32, n1: u32, id0: u32, id1: u32): void {
  const base = i32x4.splat(n0);
  let a0 = i32x4.add(base, i32x4(0, 1, 2, 3));
  let b0 = i32x4.add(base, i32x4(4, 5, 6, 7));
  let a1 = i32x4.sub(i32x4.splat(n1), i32x4.lt_u(a0, base));
  let b1 = i32x4.sub(i32x4.splat(n1), i32x4.lt_u(b0, base));
  let a2 = i32x4.splat(id0), b2 = a2;
  let a3 = i32x4.splat(id1), b3 = a3;
  const m0 = v128.load(KEYS, 320), m1 = v128.load(KEYS, 336);
  for (let r = 0; r < 10; r++) {
    const ska = v128.load(KEYS + (<usize>r << 5)), skb = v128.load(KEYS + (<usize>r << 5), 16);
    const apl0 = i64x2.extmul_low_i32x4_u(a0, m0), aph0 = i64x2.extmul_high_i32x4_u(a0, m0);
    const bpl0 = i64x2.extmul_low_i32x4_u(b0, m0), bph0 = i64x2.extmul_high_i32x4_u(b0, m0);
    const apl1 = i64x2.extmul_low_i32x4_u(a2, m1), aph1 = i64x2.extmul_high_i32x4_u(a2, m1);
    const bpl1 = i64x2.extmul_low_i32x4_u(b2, m1), bph1 = i64x2.extmul_high_i32x4_u(b2, m1);
    const na0 = v128.xor(v128.xor(i32x4.shuffle(apl1, aph1, 1, 3, 5, 7), a1), ska);
    const nb0 = v128.xor(v128.xor(i32x4.shuffle(bpl1, bph1, 1, 3, 5, 7), b1), ska);
    a1 = i32x4.shuffle(apl1, aph1, 0, 2, 4, 6);
    b1 = i32x4.shuffle(bpl1, bph1, 0, 2, 4, 6);
    const na2 = v128.xor(v128.xor(i32x4.shuffle(apl0, aph0, 1, 3, 5, 7), a3), skb);
    const nb2 = v128.xor(v128.xor(i32x4.shuffle(bpl0, bph0, 1, 3, 5, 7), b3), skb);
    a3 = i32x4.shuffle(apl0, aph0, 0, 2, 4, 6);
    b3 = i32x4.shuffle(bpl0, bph0, 0, 2, 4, 6);
    a0 = na0; b0 = nb0; a2 = na2; b2 = nb2;
  }
  transposeStore(out, a0, a1, a2, a3);
  transposeStore(out + 64, b0, b1, b2, b3);
}

// Lane i of X_j is word j of block i; memory wants block-major order.
@inline
export function transposeStore(out: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(out, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
  v128.store(out, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
  v128.store(out, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
}

// Fill `nBlocks` blocks (4·nBlocks u32) starting at block counter (n0, n1).
export function philoxFill(out: usize, nBlocks: u32, k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    philoxKeys(k0, k1);
    for (; i + 8 <= nBlocks; i += 8) {
      const lo = n0 + i;
      const hi = n1 + (lo < n0 ? 1 : 0);
      philox8BlocksSimd(out + (<usize>i << 4), lo, hi, id0, id1);
    }
    for (; i + 4 <= nBlocks; i += 4) {
      const lo = n0 + i;
      const hi = n1 + (lo < n0 ? 1 : 0);
      philox4BlocksSimd(out + (<usize>i << 4), k0, k1, lo, hi, id0, id1);
    }
  }
  for (; i < nBlocks; i++) {
    const lo = n0 + i;
    const hi = n1 + (lo < n0 ? 1 : 0);
    philoxBlockScalar(out + (<usize>i << 4), k0, k1, lo, hi, id0, id1);
  }
}

// u = ((x >>> 8) + 0.5) · 2^-24 ∈ (0, 1), exact in f32.
@inline export function u32ToUniform(x: u32): f32 {
  return (<f32>(x >>> 8) + <f32>0.5) * <f32>5.9604644775390625e-8;
}

@inline export function u32ToUniformSimd(x: v128): v128 {
  // x >>> 8 < 2^24: the signed conversion (one cvtdq2ps) gives the unsigned one's exact value
  return f32x4.mul(f32x4.add(f32x4.convert_i32x4_s(i32x4.shr_u(x, 8)), kf(20)), kf(23));
}

// In-place conversion of n u32 words at p to uniforms.
export function uniformFromBits(p: usize, n: u32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), u32ToUniformSimd(v128.load(p + (<usize>i << 2))));
  }
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), u32ToUniform(load<u32>(p + (<usize>i << 2))));
}

// Uniform f32 fill of n values from block counter (n0, n1): consumes ceil(n/4) blocks.
// out must have room for a multiple of 4 floats (the arena guarantees 16-byte granularity).
export function fillUniform(out: usize, n: u32, k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  const blocks = (n + 3) >> 2;
  philoxFill(out, blocks, k0, k1, n0, n1, id0, id1);
  uniformFromBits(out, blocks << 2);
}

// Box–Muller on the pairs (w0,w1), (w2,w3) of each block: 4 normals per block, in the order
// r_a cos, r_a sin, r_b cos, r_b sin. Same f32 polynomials as the scalar path (mathf.ts).
export function fillNormal(out: usize, n: u32, k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  const blocks = (n + 3) >> 2;
  let b: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // fused: Philox's lanes are already the de-interleaved words Box–Muller wants, so the random
    // words never go through memory in stream order (no transpose there and back, no 2nd pass)
    philoxKeys(k0, k1);
    const m0 = v128.load(KEYS, 320), m1 = v128.load(KEYS, 336);
    for (; b + 8 <= blocks; b += 8) {
      // philox8BlocksSimd's rounds, the 8 word vectors kept in locals for Box–Muller
      const n0b = n0 + b, n1b = n1 + (n0b < n0 ? 1 : 0);
      const base = i32x4.splat(n0b);
      let a0 = i32x4.add(base, i32x4(0, 1, 2, 3));
      let b0 = i32x4.add(base, i32x4(4, 5, 6, 7));
      let a1 = i32x4.sub(i32x4.splat(n1b), i32x4.lt_u(a0, base));
      let b1 = i32x4.sub(i32x4.splat(n1b), i32x4.lt_u(b0, base));
      let a2 = i32x4.splat(id0), b2 = a2;
      let a3 = i32x4.splat(id1), b3 = a3;
      for (let r = 0; r < 10; r++) {
        const ska = v128.load(KEYS + (<usize>r << 5)), skb = v128.load(KEYS + (<usize>r << 5), 16);
        const apl0 = i64x2.extmul_low_i32x4_u(a0, m0), aph0 = i64x2.extmul_high_i32x4_u(a0, m0);
        const bpl0 = i64x2.extmul_low_i32x4_u(b0, m0), bph0 = i64x2.extmul_high_i32x4_u(b0, m0);
        const apl1 = i64x2.extmul_low_i32x4_u(a2, m1), aph1 = i64x2.extmul_high_i32x4_u(a2, m1);
        const bpl1 = i64x2.extmul_low_i32x4_u(b2, m1), bph1 = i64x2.extmul_high_i32x4_u(b2, m1);
        const na0 = v128.xor(v128.xor(i32x4.shuffle(apl1, aph1, 1, 3, 5, 7), a1), ska);
        const nb0 = v128.xor(v128.xor(i32x4.shuffle(bpl1, bph1, 1, 3, 5, 7), b1), ska);
        a1 = i32x4.shuffle(apl1, aph1, 0, 2, 4, 6);
        b1 = i32x4.shuffle(bpl1, bph1, 0, 2, 4, 6);
        const na2 = v128.xor(v128.xor(i32x4.shuffle(apl0, aph0, 1, 3, 5, 7), a3), skb);
        const nb2 = v128.xor(v128.xor(i32x4.shuffle(bpl0, bph0, 1, 3, 5, 7), b3), skb);
        a3 = i32x4.shuffle(apl0, aph0, 0, 2, 4, 6);
        b3 = i32x4.shuffle(bpl0, bph0, 0, 2, 4, 6);
        a0 = na0; b0 = nb0; a2 = na2; b2 = nb2;
      }
      normals8Simd(out + (<usize>b << 4), a0, a1, a2, a3, b0, b1, b2, b3);
    }
  }
  if (b < blocks) {
    const lo = n0 + b;
    philoxFill(out + (<usize>b << 4), blocks - b, k0, k1, lo, n1 + (lo < n0 ? 1 : 0), id0, id1);
    normalFromBits(out + (<usize>b << 4), blocks - b);
  }
}

// normals4Simd on two 4-block groups (lane i of aj / bj = word j of block i / 4 + i), interleaved
// for instruction-level parallelism.
@inline function normals8Simd(q: usize, a0: v128, a1: v128, a2: v128, a3: v128, b0: v128, b1: v128, b2: v128, b3: v128): void {
  const m2 = kf(22);
  const ra = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(a0))));
  const sa = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(b0))));
  const rb = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(a2))));
  const sb = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(b2))));
  sinCosTurnsSimd(u32ToUniformSimd(a1), 0);
  sinCosTurnsSimd(u32ToUniformSimd(b1), 32);
  const za = f32x4.mul(ra, v128.load(trig.simdSinCos)), zb = f32x4.mul(ra, v128.load(trig.simdSinCos, 16));
  const ya = f32x4.mul(sa, v128.load(trig.simdSinCos, 32)), yb = f32x4.mul(sa, v128.load(trig.simdSinCos, 48));
  sinCosTurnsSimd(u32ToUniformSimd(a3), 0);
  sinCosTurnsSimd(u32ToUniformSimd(b3), 32);
  transposeStore(q, za, zb, f32x4.mul(rb, v128.load(trig.simdSinCos)), f32x4.mul(rb, v128.load(trig.simdSinCos, 16)));
  transposeStore(q + 64, ya, yb, f32x4.mul(sb, v128.load(trig.simdSinCos, 32)), f32x4.mul(sb, v128.load(trig.simdSinCos, 48)));
}

// Box–Muller on 4 blocks given lane-major (lane i of wj = word j of block i): 16 normals at q in
// stream order.
@inline function normals4Simd(q: usize, w0: v128, w1: v128, w2: v128, w3: v128): void {
  const m2 = kf(22);
  const ra = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(w0))));
  const rb = f32x4.sqrt(f32x4.mul(m2, logPosSimd(u32ToUniformSimd(w2))));
  sinCosTurnsSimd(u32ToUniformSimd(w1));
  const za = f32x4.mul(ra, v128.load(trig.simdSinCos)), zb = f32x4.mul(ra, v128.load(trig.simdSinCos, 16));
  sinCosTurnsSimd(u32ToUniformSimd(w3));
  const zc = f32x4.mul(rb, v128.load(trig.simdSinCos)), zd = f32x4.mul(rb, v128.load(trig.simdSinCos, 16));
  transposeStore(q, za, zb, zc, zd);
}

export function normalFromBits(p: usize, blocks: u32): void {
  let b: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; b + 4 <= blocks; b += 4) {
      const q = p + (<usize>b << 4);
      // de-interleave: lane i of wj = word j of block b+i
      const r0 = v128.load(q), r1 = v128.load(q, 16), r2 = v128.load(q, 32), r3 = v128.load(q, 48);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const w0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5), w1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
      const w2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5), w3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
      normals4Simd(q, w0, w1, w2, w3);
    }
  }
  for (; b < blocks; b++) {
    const q = p + (<usize>b << 4);
    const ra = sqrt<f32>(<f32>-2.0 * logPos(u32ToUniform(load<u32>(q))));
    const rb = sqrt<f32>(<f32>-2.0 * logPos(u32ToUniform(load<u32>(q, 8))));
    sinCosTurns(u32ToUniform(load<u32>(q, 4)));
    const za = ra * trig.scalarCos, zb = ra * trig.scalarSin;
    sinCosTurns(u32ToUniform(load<u32>(q, 12)));
    store<f32>(q, za);
    store<f32>(q, zb, 4);
    store<f32>(q, rb * trig.scalarCos, 8);
    store<f32>(q, rb * trig.scalarSin, 12);
  }
}

