// QSGD's stochastic rounding for the fused encoder (assembly/qsgd.ts; Alistarh et al. 2017,
// spec/compressors.md "QSGD"): levels ξ = ⌊a⌋ + 1{u < a − ⌊a⌋}, a = f32(f32(|x|·pre)·scale), ≤ s,
// coordinate t of a bucket using word t&3 of Philox block ctr + t>>2 — as i32 levels, as fixed
// fields straight from the registers, or 16 levels with their non-zero mask. The same arithmetic
// as rounding.ts qsgdRound (its TS twin: src/kernel/twin.ts).
import { philox8BlocksSimd, philoxKeys, philoxBlockScalar, u32ToUniform, u32ToUniformSimd } from "./philox";
import { packBytes16 } from "./qsgd-fields";

/** Coordinates rounded per window: a multiple of 32 (8 Philox blocks per SIMD step). */
export const CHUNK: u32 = 1024;
/** The window of levels (i32), L1-resident; its first 256 bytes double as Philox output. */
export const lv: usize = memory.data(CHUNK * 4 + 64, 16);
const blk: usize = memory.data(16, 16);

// Signed levels of m coordinates at x into out (i32): ξ = ⌊a⌋ + 1{u < a − ⌊a⌋}, a = f32(f32(|x|·pre)·scale),
// clamped to s; coordinate t uses word t&3 of block ctr + t>>2. Same arithmetic as rounding.ts.
@inline export function roundWindow(x: usize, m: u32, pre: f32, scale: f32, s: i32, out: usize,
                     k0: u32, k1: u32, ctr: u64, id0: u32, id1: u32, small: bool): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(scale), vp = f32x4.splat(pre), smax = i32x4.splat(s);
    const sf = f32x4.splat(<f32>s), one = f32x4.splat(1), magic = f32x4.splat(8388608);
    if (m >= 32) philoxKeys(k0, k1);
    for (; i + 32 <= m; i += 32) {
      const c = ctr + <u64>(i >> 2);
      const o = out + (<usize>i << 2), xp = x + (<usize>i << 2);
      philox8BlocksSimd(o, <u32>c, <u32>(c >>> 32), id0, id1);
      for (let j = 0; j < 128; j += 16) {
        const xv = v128.load(xp + j);
        const u = u32ToUniformSimd(v128.load(o + j));
        const a = f32x4.mul(f32x4.mul(f32x4.abs(xv), vp), vs);
        const l = f32x4.floor(a);
        const up = f32x4.lt(u, f32x4.sub(a, l));
        let xi: v128;
        if (small) {
          // a is finite here, so min(⌊a⌋ + 1{…}, s) < 2^23 is an integral f32 whose value is the
          // mantissa of it + 2^23: one add instead of trunc_sat (no single x64 instruction)
          const xf = f32x4.min(f32x4.add(l, v128.and(up, one)), sf);
          xi = i32x4.sub(f32x4.add(xf, magic), magic);
        } else {
          xi = i32x4.min_s(i32x4.sub(i32x4.trunc_sat_f32x4_s(l), up), smax);
        }
        const neg = i32x4.shr_s(xv, 31);
        v128.store(o + j, i32x4.sub(v128.xor(xi, neg), neg));
      }
    }
  }
  for (; i < m; i += 4) {
    const c = ctr + <u64>(i >> 2);
    philoxBlockScalar(blk, k0, k1, <u32>c, <u32>(c >>> 32), id0, id1);
    const n = min<u32>(4, m - i);
    for (let j: u32 = 0; j < n; j++) {
      const xv = load<f32>(x + (<usize>(i + j) << 2));
      const u = u32ToUniform(load<u32>(blk + (<usize>j << 2)));
      const a = abs<f32>(xv) * pre * scale;
      const l = floor<f32>(a);
      let xi = <i32>l + (u < a - l ? 1 : 0);
      if (xi > s) xi = s;
      const neg = reinterpret<i32>(xv) >> 31;
      store<i32>(out + (<usize>(i + j) << 2), (xi ^ neg) - neg);
    }
  }
}

// The fixed fields (width w ∈ {2, 4}, so s ≤ 7) of the first ⌊m/32⌋·32 coordinates at x straight
// from the rounding, packed at dst (byte-aligned); returns how many coordinates it did. Same
// levels as roundWindow's small path, and field = |l| << 1 | sign with the sign of a non-zero
// level only (as packFields16 makes from the levels): no i32 level array written and read back.
@inline export function roundPackWindow(x: usize, m: u32, pre: f32, scale: f32, s: i32, dst: usize, w: u32,
                                 k0: u32, k1: u32, ctr: u64, id0: u32, id1: u32): u32 {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(scale), vp = f32x4.splat(pre), z = i32x4.splat(0);
    const sf = f32x4.splat(<f32>s), one = f32x4.splat(1), magic = f32x4.splat(8388608);
    if (m >= 32) philoxKeys(k0, k1);
    for (; i + 32 <= m; i += 32) {
      const c = ctr + <u64>(i >> 2);
      // the 32 random words in lv's first 128 bytes (free here: no levels are stored)
      philox8BlocksSimd(lv, <u32>c, <u32>(c >>> 32), id0, id1);
      const xp = x + (<usize>i << 2);
      let f0 = z, f1 = z, f2 = z, f3 = z;
      for (let h: u32 = 0; h < 2; h++) {
        for (let q: u32 = 0; q < 4; q++) {
          const j = (h << 6) + (q << 4);
          const xv = v128.load(xp + j);
          const u = u32ToUniformSimd(v128.load(lv + j));
          const a = f32x4.mul(f32x4.mul(f32x4.abs(xv), vp), vs);
          const l = f32x4.floor(a);
          const up = f32x4.lt(u, f32x4.sub(a, l));
          const xf = f32x4.min(f32x4.add(l, v128.and(up, one)), sf);
          const xi = i32x4.sub(f32x4.add(xf, magic), magic);
          const f = v128.or(i32x4.shl(xi, 1), v128.and(i32x4.shr_u(xv, 31), i32x4.ne(xi, z)));
          if (q == 0) f0 = f; else if (q == 1) f1 = f; else if (q == 2) f2 = f; else f3 = f;
        }
        packBytes16(i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(f0, f1), i16x8.narrow_i32x4_u(f2, f3)), w,
          dst + <usize>(((i + (h << 4)) * w) >> 3));
      }
    }
  }
  return i;
}

/**
 * The 16 signed levels of x[0..16) into o[0..16) (i32), whose 16 random words o holds on entry,
 * as roundWindow's small path; returns bit t set where level t is non-zero. `scaled` false:
 * pre = 1, so |x| · pre = |x| is skipped (exact).
 */
@inline export function roundNz16(xp: usize, o: usize, vp: v128, vs: v128, sf: v128, scaled: bool): u32 {
  const n0 = roundNz4(xp, o, vp, vs, sf, scaled), n1 = roundNz4(xp + 16, o + 16, vp, vs, sf, scaled);
  const n2 = roundNz4(xp + 32, o + 32, vp, vs, sf, scaled), n3 = roundNz4(xp + 48, o + 48, vp, vs, sf, scaled);
  return <u32>i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(n0, n1), i16x8.narrow_i32x4_s(n2, n3)));
}

// One vector of roundNz16: stores the 4 signed levels, returns the lanes' non-zero mask.
@inline function roundNz4(xp: usize, o: usize, vp: v128, vs: v128, sf: v128, scaled: bool): v128 {
  const xv = v128.load(xp);
  const u = u32ToUniformSimd(v128.load(o));
  const a = scaled ? f32x4.mul(f32x4.mul(f32x4.abs(xv), vp), vs) : f32x4.mul(f32x4.abs(xv), vs);
  const l = f32x4.floor(a);
  const up = f32x4.lt(u, f32x4.sub(a, l));
  const xf = f32x4.min(f32x4.add(l, v128.and(up, f32x4.splat(1))), sf);
  const magic = f32x4.splat(8388608);
  const xi = i32x4.sub(f32x4.add(xf, magic), magic);
  const neg = i32x4.shr_s(xv, 31);
  v128.store(o, i32x4.sub(v128.xor(xi, neg), neg));
  return i32x4.ne(xi, i32x4.splat(0));
}
