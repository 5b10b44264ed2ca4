// Fused QSGD message kernels (issue #9; Alistarh et al. 2017, spec/compressors.md "QSGD"): one
// call encodes a whole message — bucket norms, stochastic rounding, fixed-width or Elias-gamma
// packing — straight into the payload bytes, and one call decodes a payload to f32. They write the
// same bytes and floats as the per-bucket composition they replace (qsgdRound → packFixed /
// qsgdEliasEncode, one bucket at a time; pinned by test/compressors/golden.test.ts):
//   norm_j = the smallest f32 ≥ ‖v_j‖₂ (f64 sum in vec.ts `dot` order, f64 sqrt), or max|v_i|;
//   bucket j draws its uniforms from ⌈len_j/4⌉ blocks after those of buckets < j, coordinate t
//   of the bucket using word t&3 of block t>>2 (so rounding in chunks of 4k coordinates is exact);
//   levels use the f32 factor f32(s/norm), or — when that overflows (subnormal buckets) — the
//   values times 2^100 (exact in f32) and f32(s/(norm·2^100));
//   decode: x̂_i = f32((norm_j · l_i) / s) in f64.
// Levels live only in a 4 KiB window (CHUNK i32, L1-resident); nothing of size D is allocated.
import { philox8BlocksSimd, philoxBlockScalar, u32ToUniform, u32ToUniformSimd } from "./philox";
import { dot } from "./vec";

/** Coordinates rounded per window: a multiple of 32 (8 Philox blocks per SIMD step). */
const CHUNK: u32 = 1024;
const lv: usize = memory.data(CHUNK * 4 + 64, 16);
const blk: usize = memory.data(16, 16);
let errAt: u32 = 0;
/** 2^100, exact in f32 and f64. */
const TWO100: f64 = 1.2676506002282294e30;

/** The bucket (encode: norm overflow) or coordinate (decode: bad field) of the last error. */
export function qsgdErrorAt(): u32 { return errAt; }

// Signed levels of m coordinates at x into out (i32): ξ = ⌊a⌋ + 1{u < a − ⌊a⌋}, a = f32(f32(|x|·pre)·scale),
// clamped to s; coordinate t uses word t&3 of block ctr + t>>2. Same arithmetic as rounding.ts.
function roundWindow(x: usize, m: u32, pre: f32, scale: f32, s: i32, out: usize,
                     k0: u32, k1: u32, ctr: u64, id0: u32, id1: u32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(scale), vp = f32x4.splat(pre), smax = i32x4.splat(s);
    for (; i + 32 <= m; i += 32) {
      const c = ctr + <u64>(i >> 2);
      const o = out + (<usize>i << 2), xp = x + (<usize>i << 2);
      philox8BlocksSimd(o, k0, k1, <u32>c, <u32>(c >>> 32), id0, id1);
      for (let j = 0; j < 128; j += 16) {
        const xv = v128.load(xp + j);
        const u = u32ToUniformSimd(v128.load(o + j));
        const a = f32x4.mul(f32x4.mul(f32x4.abs(xv), vp), vs);
        const l = f32x4.floor(a);
        const up = f32x4.lt(u, f32x4.sub(a, l));
        const xi = i32x4.min_s(i32x4.sub(i32x4.trunc_sat_f32x4_s(l), up), smax);
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

function maxAbs(p: usize, n: u32): f32 {
  let m: f32 = 0;
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    let v = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) v = f32x4.max(v, f32x4.abs(v128.load(p + (<usize>i << 2))));
    m = max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; i < n; i++) m = max<f32>(m, abs<f32>(load<f32>(p + (<usize>i << 2))));
  return m;
}

// The smallest f32 ≥ v ≥ 0 (+Inf above the f32 range).
@inline function roundUpF32(v: f64): f32 {
  const f = <f32>v;
  return <f64>f < v ? reinterpret<f32>(reinterpret<u32>(f) + 1) : f;
}

/**
 * Bytes a payload of n coordinates in nb buckets may need: norms, then fixed fields, or Elias
 * codes — each non-zero level costs gamma(run+1) ≤ 2(run+1) − 1 bits, a sign bit and
 * gamma(|l|) ≤ 2⌊log2 s⌋ + 1 bits, and the runs sum to at most n, so ≤ n(2⌊log2 s⌋ + 3) bits.
 */
export function qsgdPayloadCap(n: u32, nb: u32, s: u32, elias: u32, width: u32): f64 {
  const perCoord: f64 = elias ? <f64>(2 * (31 - clz<u32>(s)) + 3) : <f64>width;
  return 4 * <f64>nb + Math.ceil(<f64>n * perCoord / 8) + 8;
}

/**
 * Encode x (n finite f32, buckets of b) into dst: nb f32 norms, then the level fields (fixed:
 * `width` bits each, magnitude << 1 | sign; elias: per non-zero level gamma(zero run + 1), sign,
 * gamma(|l|)), LSB-first. Returns the payload's bit count, or −1 if a bucket norm overflows f32
 * (its index in qsgdErrorAt()).
 */
export function qsgdEncode(x: usize, n: u32, b: u32, s: i32, linf: u32, elias: u32, width: u32, dst: usize,
                           k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): f64 {
  const nb = (n + b - 1) / b;
  let ctr: u64 = (<u64>n1 << 32) | <u64>n0;
  const body = dst + (<usize>nb << 2);
  let wp = body;
  let acc: u64 = 0;
  let cnt: u32 = 0;
  let run: u32 = 0;
  for (let j: u32 = 0; j < nb; j++) {
    const start = j * b, len = min<u32>(b, n - start);
    const p = x + (<usize>start << 2);
    const norm: f32 = linf ? maxAbs(p, len) : roundUpF32(sqrt<f64>(dot(p, p, len)));
    if (norm == Infinity) { errAt = j; return -1; }
    store<f32>(dst + (<usize>j << 2), norm);
    if (norm == 0) {
      if (elias) run += len;
      else {
        for (let t: u32 = 0; t < len; t++) {
          cnt += width;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
        }
      }
      ctr += <u64>((len + 3) >> 2);
      continue;
    }
    let pre: f32 = 1;
    let scale = <f32>(<f64>s / <f64>norm);
    if (!isFinite<f32>(scale)) { pre = <f32>TWO100; scale = <f32>(<f64>s / (<f64>norm * TWO100)); }
    for (let c: u32 = 0; c < len; c += CHUNK) {
      const m = min<u32>(CHUNK, len - c);
      roundWindow(p + (<usize>c << 2), m, pre, scale, s, lv, k0, k1, ctr + <u64>(c >> 2), id0, id1);
      if (elias) {
        for (let t: u32 = 0; t < m; t++) {
          const l = load<i32>(lv + (<usize>t << 2));
          if (l == 0) { run++; continue; }
          // gamma(run + 1): N zeros, a one, the low N bits (bits.ts); then the sign; then gamma(|l|)
          const r = run + 1, nr = 31 - clz<u32>(r);
          const a = <u32>(l < 0 ? -l : l), na = 31 - clz<u32>(a);
          // (the zeros are flushed first: N zeros + N+1 bits could pass the 64-bit accumulator)
          cnt += nr;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
          acc |= <u64>((((r ^ (1 << nr)) << 1) | 1) | (<u32>l >> 31 << (nr + 1))) << cnt;
          cnt += nr + 2;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
          cnt += na;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
          acc |= <u64>(((a ^ (1 << na)) << 1) | 1) << cnt;
          cnt += na + 1;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
          run = 0;
        }
      } else {
        for (let t: u32 = 0; t < m; t++) {
          const l = load<i32>(lv + (<usize>t << 2));
          const f = (<u32>(l < 0 ? -l : l) << 1) | (<u32>l >> 31);
          acc |= <u64>f << cnt;
          cnt += width;
          if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
        }
      }
    }
    ctr += <u64>((len + 3) >> 2);
  }
  const bits: f64 = <f64>(wp - body) * 8 + <f64>cnt;
  while (cnt > 0) {
    store<u8>(wp, <u8>acc);
    wp += 1; acc >>= 8;
    cnt = cnt > 8 ? cnt - 8 : 0;
  }
  return <f64>nb * 32 + bits;
}

// f32((norm · l) / s) in f64; a power-of-two s divides exactly as a multiplication by 2^-k.
@inline function dequant(norm: f64, l: i32, s: f64, inv: f64, pow2: bool): f32 {
  return pow2 ? <f32>(norm * <f64>l * inv) : <f32>(norm * <f64>l / s);
}

/**
 * Decode `width`-bit fields (n of them, at src; 8 readable bytes past the end) with bucket norms at
 * `norms` (already validated) into out. Returns 0, or −3 if a magnitude exceeds s (the coordinate
 * in qsgdErrorAt()).
 */
export function qsgdDecodeFixed(src: usize, norms: usize, n: u32, b: u32, s: u32, width: u32, out: usize): i32 {
  const mask: u64 = (<u64>1 << width) - 1;
  const sf = <f64>s, inv = 1 / sf, pow2 = (s & (s - 1)) == 0;
  let pos: u64 = 0;
  let i: u32 = 0;
  for (let j: u32 = 0; i < n; j++) {
    const end = min<u32>(n, i + b);
    const norm = <f64>load<f32>(norms + (<usize>j << 2));
    for (; i < end; i++) {
      const f = <u32>((load<u64>(src + <usize>(pos >> 3)) >> (pos & 7)) & mask);
      pos += width;
      const mag = f >> 1;
      if (mag > s) { errAt = i; return -3; }
      const l = f & 1 ? -<i32>mag : <i32>mag;
      store<f32>(out + (<usize>i << 2), dequant(norm, l, sf, inv, pow2));
    }
  }
  return 0;
}

/**
 * Decode an Elias payload of exactly nBits bits (8 zero bytes readable past the end) into out
 * (n f32, written in full). Returns 0 or the codes of bits.ts qsgdEliasDecode: −1 truncated or
 * malformed gamma, −2 a run past n, −3 a level above s.
 */
export function qsgdDecodeElias(src: usize, nBits: f64, norms: usize, n: u32, b: u32, s: u32, out: usize): i32 {
  memory.fill(out, 0, <usize>n << 2);
  const end = <u64>nBits;
  const sf = <f64>s, inv = 1 / sf, pow2 = (s & (s - 1)) == 0;
  let pos: u64 = 0;
  let at: u64 = 0;
  while (pos < end) {
    // gamma(run + 1)
    let w = load<u64>(src + <usize>(pos >> 3)) >> (pos & 7);
    if (w == 0) return -1;
    let nb = <u32>ctz<u64>(w);
    if (nb > 28) return -1;
    let len = 2 * nb + 1;
    if (pos + <u64>len > end) return -1;
    const run = (<u32>1 << nb) | <u32>((w >> (nb + 1)) & ((<u64>1 << nb) - 1));
    pos += <u64>len;
    at += <u64>(run - 1);
    if (at >= <u64>n) return -2;
    if (pos + 1 > end) return -1;
    const neg = <u32>(load<u64>(src + <usize>(pos >> 3)) >> (pos & 7)) & 1;
    pos += 1;
    w = load<u64>(src + <usize>(pos >> 3)) >> (pos & 7);
    if (w == 0) return -1;
    nb = <u32>ctz<u64>(w);
    if (nb > 28) return -1;
    len = 2 * nb + 1;
    if (pos + <u64>len > end) return -1;
    const lvl = (<u32>1 << nb) | <u32>((w >> (nb + 1)) & ((<u64>1 << nb) - 1));
    pos += <u64>len;
    if (lvl > s) return -3;
    const i = <u32>at;
    const norm = <f64>load<f32>(norms + (<usize>(i / b) << 2));
    store<f32>(out + (<usize>i << 2), dequant(norm, neg ? -<i32>lvl : <i32>lvl, sf, inv, pow2));
    at += 1;
  }
  return 0;
}
