// Stochastic rounding to QSGD levels (Alistarh et al. 2017, spec/compressors.md "QSGD"):
// ξ_i = ⌊r_i⌋ + 1{u_i < r_i − ⌊r_i⌋}, r_i = |x_i|·scale, with u_i the i-th uniform of the
// Philox stream, so coordinate i always uses the same random number in every build.
import { philox8BlocksSimd, philoxKeys, philoxBlockScalar, u32ToUniform, u32ToUniformSimd } from "./philox";
import { absSum } from "./vec";

// out[i] = sign(x_i) · min(ξ_i, s) as i32. `out` doubles as the scratch for the random words.
// The clamp only matters when f32 rounding pushes r_i a hair above s (the max coordinate).
export function qsgdRound(x: usize, n: u32, scale: f32, s: i32, out: usize,
                          k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(scale), smax = i32x4.splat(s);
    philoxKeys(k0, k1);
    for (; i + 32 <= n; i += 32) {
      const blk = i >> 2;
      const lo = n0 + blk, hi = n1 + (lo < n0 ? 1 : 0);
      const o = out + (<usize>i << 2), xp = x + (<usize>i << 2);
      philox8BlocksSimd(o, lo, hi, id0, id1);
      for (let j = 0; j < 128; j += 16) {
        const xv = v128.load(xp + j);
        const u = u32ToUniformSimd(v128.load(o + j));
        const a = f32x4.mul(f32x4.abs(xv), vs);
        const l = f32x4.floor(a);
        const up = f32x4.lt(u, f32x4.sub(a, l));
        const xi = i32x4.min_s(i32x4.sub(i32x4.trunc_sat_f32x4_s(l), up), smax);
        const neg = i32x4.shr_s(xv, 31);
        v128.store(o + j, i32x4.sub(v128.xor(xi, neg), neg));
      }
    }
  }
  // scalar: one block per 4 coordinates (the tail block may be partly used)
  for (; i < n; i += 4) {
    const blk = i >> 2;
    const lo = n0 + blk, hi = n1 + (lo < n0 ? 1 : 0);
    philoxBlockScalar(scratch, k0, k1, lo, hi, id0, id1);
    const m = min<u32>(4, n - i);
    for (let j: u32 = 0; j < m; j++) {
      const xv = load<f32>(x + (<usize>(i + j) << 2));
      const u = u32ToUniform(load<u32>(scratch + (<usize>j << 2)));
      const a = abs<f32>(xv) * scale;
      const l = floor<f32>(a);
      let xi = <i32>l + (u < a - l ? 1 : 0);
      if (xi > s) xi = s;
      const neg = reinterpret<i32>(xv) >> 31;
      store<i32>(out + (<usize>(i + j) << 2), (xi ^ neg) - neg);
    }
  }
}

const scratch: usize = memory.data(16, 16);

// Scaled-sign extraction: bit i of the LSB-first bit string at out is 1 iff x_i < 0.
// Writes ceil(n/8) bytes.
export function signBits(x: usize, n: u32, out: usize): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 2);
      const b = i32x4.bitmask(f32x4.lt(v128.load(p), zero)) | (i32x4.bitmask(f32x4.lt(v128.load(p, 16), zero)) << 4);
      store<u8>(out + (i >> 3), <u8>b);
    }
  }
  for (; i < n; i += 8) {
    let b: u32 = 0;
    const m = min<u32>(8, n - i);
    for (let j: u32 = 0; j < m; j++) if (load<f32>(x + (<usize>(i + j) << 2)) < 0) b |= 1 << j;
    store<u8>(out + (i >> 3), <u8>b);
  }
}

// Scaled sign message (spec/compressors.md "Sign"): nb f32 scales f32(‖x_b‖₁/|b|) (f64 sum in
// vec.ts order) at dst, then the sign bits of all of x (signBits). One call per message.
export function signEncode(x: usize, n: u32, b: u32, dst: usize): void {
  const nb = (n + b - 1) / b;
  for (let j: u32 = 0; j < nb; j++) {
    const len = min<u32>(b, n - j * b);
    store<f32>(dst + (<usize>j << 2), <f32>(absSum(x + (<usize>(j * b) << 2), len) / <f64>len));
  }
  signBits(x, n, dst + (<usize>nb << 2));
}

// out_i = −scale_j if bit i is set else scale_j, j = ⌊i/b⌋.
export function signDecode(bits: usize, scales: usize, n: u32, b: u32, out: usize): void {
  let i: u32 = 0;
  for (let j: u32 = 0; i < n; j++) {
    const sc = load<f32>(scales + (<usize>j << 2));
    const end = min<u32>(n, i + b);
    for (; i < end; i++) {
      const neg = (<u32>load<u8>(bits + (i >> 3)) >> (i & 7)) & 1;
      store<f32>(out + (<usize>i << 2), neg ? -sc : sc);
    }
  }
}
