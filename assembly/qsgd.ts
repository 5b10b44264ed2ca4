// Fused QSGD message kernels (issue #9; Alistarh et al. 2017, spec/compressors.md "QSGD"): the
// encoder does bucket norms, stochastic rounding and fixed-width or Elias-gamma packing straight
// into the payload bytes, the decoder goes from payload to f32, each as a resumable loop called
// per window of coordinates (src/kernel/messages.ts) for V8's tier-up. They write the
// same bytes and floats as the per-bucket composition they replace (qsgdRound → packFixed /
// qsgdEliasEncode, one bucket at a time; pinned by test/compressors/golden.test.ts):
//   norm_j = the smallest f32 ≥ ‖v_j‖₂ (f64 sum in vec.ts `dot` order, f64 sqrt), or max|v_i|;
//   bucket j draws its uniforms from ⌈len_j/4⌉ blocks after those of buckets < j, coordinate t
//   of the bucket using word t&3 of block t>>2 (so rounding in chunks of 4k coordinates is exact);
//   levels use the f32 factor f32(s/norm), or — when that overflows (subnormal buckets) — the
//   values times 2^100 (exact in f32) and f32(s/(norm·2^100));
//   decode: x̂_i = f32((norm_j · l_i) / s) in f64.
// Levels live only in a 4 KiB window (CHUNK i32, L1-resident); nothing of size D is allocated:
// the input comes window by window (qsgdEncodeWindow), decoded values go out window by window.
// Fixed fields of 2 and 4 bits are packed / looked up 16 at a time (qsgd-fields.ts); Elias codes
// are written per non-zero level, found 16 levels at a time through a bit mask; decoded through
// a table of the codes of ≤ 12 bits while nearly all are that short, else one code per read.
import { philox8BlocksSimd, philoxKeys, philoxBlockScalar, u32ToUniform, u32ToUniformSimd } from "./philox";
import { dot, sumSquares2 } from "./vec";
import { fieldPlanes, fieldTableAt, lookup16, packBytes16, packFields16, unpackFields16 } from "./qsgd-fields";

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
@inline function roundWindow(x: usize, m: u32, pre: f32, scale: f32, s: i32, out: usize,
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
@inline function roundPackWindow(x: usize, m: u32, pre: f32, scale: f32, s: i32, dst: usize, w: u32,
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

// Encoder state between calls: a message is encoded by qsgdEncodeBegin, then qsgdEncodeStep
// until it returns 0 — each step a bounded window of coordinates, so V8 moves the hot loop to its
// optimising tier after the first windows instead of running one long call on its baseline tier.
let eX: usize = 0, eN: u32 = 0, eB: u32 = 0, eS: i32 = 0, eLinf: u32 = 0, eElias: u32 = 0, eWidth: u32 = 0, eDst: usize = 0;
let eK0: u32 = 0, eK1: u32 = 0, eId0: u32 = 0, eId1: u32 = 0, eCtr: u64 = 0;
let eJ: u32 = 0, eC: u32 = 0, ePre: f32 = 1, eScale: f32 = 0, eZero: bool = false, eLimitJ: u32 = 0;
/** Buckets below this one have their ℓ2 norm already in the payload (qsgdEncodeWindow). */
let eNormsTo: u32 = 0;
const ss2: usize = memory.data(16, 16);
let wp: usize = 0, acc: u64 = 0, cnt: u32 = 0, run: u32 = 0;

/**
 * Start encoding x (n finite f32, buckets of b) into dst: nb f32 norms, then the level fields
 * (fixed: `width` bits each, magnitude << 1 | sign; elias: per non-zero level gamma(zero run + 1),
 * sign, gamma(|l|)), LSB-first, with the stream (k0, k1, id0, id1) from block (n0, n1).
 */
export function qsgdEncodeBegin(x: usize, n: u32, b: u32, s: i32, linf: u32, elias: u32, width: u32, dst: usize,
                                k0: u32, k1: u32, n0: u32, n1: u32, id0: u32, id1: u32): void {
  eX = x; eN = n; eB = b; eS = s; eLinf = linf; eElias = elias; eWidth = width; eDst = dst;
  eK0 = k0; eK1 = k1; eId0 = id0; eId1 = id1; eCtr = (<u64>n1 << 32) | <u64>n0;
  eJ = 0; eC = 0; eLimitJ = (n + b - 1) / b; eNormsTo = 0;
  wp = dst + (<usize>((n + b - 1) / b) << 2); acc = 0; cnt = 0; run = 0;
  if (elias && !putTabBuilt) buildPutTable();
}

// The whole code of a level l ∈ [−8, 7] after run + 1 = r < 256 zeros (gamma(r), sign,
// gamma(|l|): at most 15 + 1 + 5 = 21 bits) by (r << 4) | (l & 15): bits | length << 27, the
// same bits as eliasPut's one-word branch (nr ≤ 7, na ≤ 3 here); one load for the codes of
// nearly every level of s ≤ 7 instead of two clz and the shifts.
const putTab: usize = memory.data(4 << 12, 16);
let putTabBuilt = false;

function buildPutTable(): void {
  for (let r: u32 = 1; r < 256; r++) {
    for (let l: i32 = -8; l < 8; l++) {
      if (l == 0) continue;
      const nr = 31 - clz<u32>(r), a = <u32>(l < 0 ? -l : l), na = 31 - clz<u32>(a);
      const head = (((r ^ (1 << nr)) << 1) | 1) | (<u32>l >> 31 << (nr + 1));
      const tail = ((a ^ (1 << na)) << 1) | 1;
      const bits = (head << nr) | (tail << (2 * nr + 2 + na)), len = 2 * nr + 2 * na + 3;
      store<u32>(putTab + (<usize>((r << 4) | (<u32>l & 15)) << 2), bits | (len << 27));
    }
  }
  putTabBuilt = true;
}

/**
 * Encode the next buckets from a window: x holds the values of buckets eJ .. j1 − 1 (the caller
 * copies them in), so the input passes through a cache-sized window instead of sitting whole in
 * linear memory. qsgdEncodeStep then returns 2 when the window's buckets are done.
 */
export function qsgdEncodeWindow(x: usize, j1: u32): void {
  eX = x - (<usize>(eJ * eB) << 2); // modular: eX + 4·start addresses the window
  eLimitJ = min<u32>(j1, (eN + eB - 1) / eB);
  if (!eLinf) {
    // the ℓ2 norms of the window's full buckets two at a time (sumSquares2: the same sums as
    // dot, with two dependency chains in flight), into the payload's norm slots
    let j = eJ;
    const b = eB, full = min<u32>(eLimitJ, eN / b);
    for (; j + 2 <= full; j += 2) {
      sumSquares2(eX + (<usize>(j * b) << 2), eX + (<usize>((j + 1) * b) << 2), b, ss2);
      store<f32>(eDst + (<usize>j << 2), normOf(load<f64>(ss2)));
      store<f32>(eDst + (<usize>(j + 1) << 2), normOf(load<f64>(ss2, 8)));
    }
    eNormsTo = j;
  }
}

// ‖v‖₂ rounded up to f32 from Σv²; NaN when Σv² is not finite (a NaN / ±Inf input).
@inline function normOf(ss: f64): f32 { return isFinite<f64>(ss) ? roundUpF32(sqrt<f64>(ss)) : NaN; }

// Bit t set where the i32 level at q + 4t is non-zero, t < 16.
@inline function nonZero16(q: usize): u32 {
  const z = i32x4.splat(0);
  return <u32>i8x16.bitmask(i8x16.narrow_i16x8_s(
    i16x8.narrow_i32x4_s(i32x4.ne(v128.load(q), z), i32x4.ne(v128.load(q, 16), z)),
    i16x8.narrow_i32x4_s(i32x4.ne(v128.load(q, 32), z), i32x4.ne(v128.load(q, 48), z))));
}

@inline function flush32(): void {
  if (cnt >= 32) { store<u32>(wp, <u32>acc); wp += 4; acc >>= 32; cnt -= 32; }
}

// Fields of levels lv[from..to) (i32, sign-magnitude: |l| << 1 | sign), `width` bits each, into
// the accumulator — the scalar packer behind both the fused and the windowed fixed-width paths.
@inline function packLevels(lv: usize, from: u32, to: u32, width: u32): void {
  for (let q = from; q < to; q++) {
    const l = load<i32>(lv + (<usize>q << 2));
    acc |= <u64>((<u32>(l < 0 ? -l : l) << 1) | (<u32>l >> 31)) << cnt;
    cnt += width; flush32();
  }
}

// One non-zero level l after `run` zeros: gamma(run + 1) — N zeros, a one, the low N bits
// (bits.ts) —, the sign, gamma(|l|). Short codes (nr + na ≤ 14, so 2nr + 2na + 3 ≤ 31 bits: every
// level of s < 2^8 after a run below 2^7, and of s ≤ 4 after a run below 2^12) go in as one
// word and one branch-free flush, since cnt < 32 leaves 32 bits of the accumulator free:
// the flush's branch (cnt ≥ 32?) is data-dependent and mispredicted about every other level.
// Longer ones flush the zeros first: N zeros + N+1 bits could pass the 64-bit accumulator.
@inline function eliasPut(l: i32): void {
  const r = run + 1, nr = 31 - clz<u32>(r);
  const a = <u32>(l < 0 ? -l : l), na = 31 - clz<u32>(a);
  const head = (((r ^ (1 << nr)) << 1) | 1) | (<u32>l >> 31 << (nr + 1));
  const tail = ((a ^ (1 << na)) << 1) | 1;
  if (nr + na <= 14) {
    acc |= <u64>((head << nr) | (tail << (2 * nr + 2 + na))) << cnt;
    cnt += 2 * nr + 2 * na + 3;
    // cnt ≤ 62: at most one word to flush; the store is harmless when it is not one (the
    // payload has room past wp, qsgdEncodeAt reserves a step's worst case ahead)
    store<u32>(wp, <u32>acc);
    const f = cnt >> 5;
    wp += <usize>(f << 2); acc >>= <u64>(f << 5); cnt &= 31;
  } else {
    cnt += nr; flush32();
    acc |= <u64>head << cnt;
    cnt += nr + 2; flush32();
    cnt += na; flush32();
    acc |= <u64>tail << cnt;
    cnt += na + 1; flush32();
  }
  run = 0;
}

// eliasPut through putTab when the code is there.
@inline function eliasPutFast(l: i32): void {
  const r = run + 1;
  if (r < 256 && <u32>(l + 8) < 16) {
    const e = load<u32>(putTab + (<usize>((r << 4) | (<u32>l & 15)) << 2));
    acc |= <u64>(e & 0x7FFFFFF) << cnt;
    cnt += e >> 27;
    // cnt ≤ 31 + 21: at most one word to flush, stored unconditionally as in eliasPut
    store<u32>(wp, <u32>acc);
    const f = cnt >> 5;
    wp += <usize>(f << 2); acc >>= <u64>(f << 5); cnt &= 31;
    run = 0;
  } else eliasPut(l);
}

/**
 * Encode about `budget` more coordinates (whole CHUNK windows). Returns 1 while coordinates of
 * the window remain, 2 when the window is done but not the message, 0 when the message is done (then qsgdEncodeEnd), −1 if a bucket norm overflows f32,
 * −2 if a bucket holds a NaN or ±Inf (the bucket's index in qsgdErrorAt()).
 */
export function qsgdEncodeStep(budget: u32): i32 {
  let done: u32 = 0;
  const b = eB, s = eS, width = eWidth;
  while (eJ < eLimitJ) {
    if (done >= budget) return 1;
    const start = eJ * b, len = min<u32>(b, eN - start);
    const p = eX + (<usize>start << 2);
    if (eC == 0) {
      // entering bucket eJ: its norm, and the factor of its levels
      // a non-finite input makes the f64 sum of squares (or the max, NaN-propagating) non-finite,
      // and finite f32 inputs never do: the input check costs no pass of its own (−2)
      let norm: f32;
      if (eLinf) {
        norm = maxAbs(p, len);
        if (!isFinite<f32>(norm)) { errAt = eJ; return -2; }
      } else {
        norm = eJ < eNormsTo ? load<f32>(eDst + (<usize>eJ << 2)) : normOf(dot(p, p, len));
        if (isNaN<f32>(norm)) { errAt = eJ; return -2; }
      }
      if (norm == Infinity) { errAt = eJ; return -1; }
      store<f32>(eDst + (<usize>eJ << 2), norm);
      eZero = norm == 0;
      ePre = 1;
      eScale = eZero ? 0 : <f32>(<f64>s / <f64>norm);
      if (!eZero && !isFinite<f32>(eScale)) { ePre = <f32>TWO100; eScale = <f32>(<f64>s / (<f64>norm * TWO100)); }
    }
    if (eZero) {
      if (eElias) run += len;
      else {
        for (let t: u32 = 0; t < len; t++) { cnt += width; flush32(); }
      }
      done += len;
    } else {
      const c = eC, m = min<u32>(CHUNK, len - c);
      if (ASC_FEATURE_SIMD && !eElias && (width == 2 || width == 4) && (cnt & 7) == 0 && m >= 32) {
        // fields straight from the rounding, 32 coordinates per step; the rest of the window
        // (< 32) through roundWindow and the scalar packer below
        while (cnt > 0) { store<u8>(wp, <u8>acc); wp += 1; acc >>= 8; cnt -= 8; }
        const t = roundPackWindow(p + (<usize>c << 2), m, ePre, eScale, s, wp, width, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1);
        wp += <usize>((t * width) >> 3);
        if (t < m) roundWindow(p + (<usize>(c + t) << 2), m - t, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>((c + t) >> 2), eId0, eId1, true);
        packLevels(lv, 0, m - t, width);
        eC += m;
        done += m;
        if (eC < len) continue;
        eCtr += <u64>((len + 3) >> 2);
        eJ++; eC = 0;
        continue;
      }
      if (s < (1 << 22)) roundWindow(p + (<usize>c << 2), m, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, true);
      else roundWindow(p + (<usize>c << 2), m, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, false);
      if (eElias) {
        let t: u32 = 0;
        if (ASC_FEATURE_SIMD) {
          // 64 levels at a time: a bit mask of the non-zero ones, walked with ctz, so the work
          // (and the branches) scale with the non-zero levels, not with the coordinates; the
          // walk's exit is mispredicted once per 64 coordinates, not once per 16
          // The writer's state lives in locals here (module globals are memory to the engine:
          // a load and a store each per level otherwise).
          let lacc = acc, lcnt = cnt, lwp = wp, lrun = run;
          for (; t + 64 <= m; t += 64) {
            const q = lv + (<usize>t << 2);
            let mask = <u64>nonZero16(q) | (<u64>nonZero16(q + 64) << 16) | (<u64>nonZero16(q + 128) << 32) | (<u64>nonZero16(q + 192) << 48);
            let at: u32 = 0;
            while (mask != 0) {
              const k = <u32>ctz<u64>(mask);
              const l = load<i32>(q + (<usize>k << 2));
              const r = lrun + (k - at) + 1;
              if (r < 256 && <u32>(l + 8) < 16) {
                // eliasPutFast on the locals
                const e = load<u32>(putTab + (<usize>((r << 4) | (<u32>l & 15)) << 2));
                lacc |= <u64>(e & 0x7FFFFFF) << lcnt;
                lcnt += e >> 27;
                store<u32>(lwp, <u32>lacc);
                const f = lcnt >> 5;
                lwp += <usize>(f << 2); lacc >>= <u64>(f << 5); lcnt &= 31;
              } else {
                acc = lacc; cnt = lcnt; wp = lwp; run = r - 1;
                eliasPut(l);
                lacc = acc; lcnt = cnt; lwp = wp;
              }
              lrun = 0;
              at = k + 1;
              mask &= mask - 1;
            }
            lrun += 64 - at;
          }
          acc = lacc; cnt = lcnt; wp = lwp; run = lrun;
        }
        for (; t < m; t++) {
          const l = load<i32>(lv + (<usize>t << 2));
          if (l == 0) { run++; continue; }
          eliasPutFast(l);
        }
      } else {
        let t: u32 = 0;
        if (ASC_FEATURE_SIMD && (width == 2 || width == 4) && (cnt & 7) == 0) {
          // byte-aligned: flush the pending whole bytes, then 16 fields per step (qsgd-fields.ts)
          while (cnt > 0) { store<u8>(wp, <u8>acc); wp += 1; acc >>= 8; cnt -= 8; }
          for (; t + 16 <= m; t += 16) { packFields16(lv + (<usize>t << 2), width, wp); wp += width << 1; }
        }
        packLevels(lv, t, m, width);
      }
      eC += m;
      done += m;
      if (eC < len) continue;
    }
    // bucket done: the next one draws its blocks after this one's ⌈len/4⌉
    eCtr += <u64>((len + 3) >> 2);
    eJ++; eC = 0;
  }
  return eJ * b < eN ? 2 : 0;
}

/** Bytes written so far from dst (norms included, the pending < 32 bits not). */
export function qsgdEncodeWritten(): u32 { return <u32>(wp - eDst); }

/** Flush the last bits; returns the payload's bit count (norms included). */
export function qsgdEncodeEnd(): f64 {
  const nb = (eN + eB - 1) / eB;
  const body = eDst + (<usize>nb << 2);
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
 * Decode coordinates i0..i1 of n `width`-bit fields (at src; 8 readable bytes past the end) with
 * bucket norms at `norms` (already validated) into out[0 .. i1 − i0). Returns 0, or −3 if a
 * magnitude exceeds s (the coordinate in qsgdErrorAt()). Called per window of coordinates: V8
 * tiers up, and the window stays in cache on its way to the caller's array.
 */
export function qsgdDecodeFixed(src: usize, norms: usize, n: u32, b: u32, s: u32, width: u32, out: usize, i0: u32, i1: u32): i32 {
  out -= <usize>i0 << 2; // out[i] below is coordinate i
  const mask: u64 = (<u64>1 << width) - 1;
  const sf = <f64>s, inv = 1 / sf, pow2 = (s & (s - 1)) == 0;
  let pos: u64 = <u64>i0 * <u64>width;
  let i: u32 = i0;
  n = min<u32>(n, i1);
  for (let j: u32 = i0 / b; i < n; j++) {
    const end = min<u32>(n, (j + 1) * b);
    const norm = <f64>load<f32>(norms + (<usize>j << 2));
    if (ASC_FEATURE_SIMD && (width == 2 || width == 4) && end - i >= 64) {
      // this bucket's value of every field (the scalar formula), looked up 16 at a time
      for (let f: u32 = 0; f < (<u32>1 << width); f++) {
        const mag = f >> 1;
        store<f32>(fieldTableAt(f), mag > s ? 0 : dequant(norm, f & 1 ? -<i32>mag : <i32>mag, sf, inv, pow2));
      }
      fieldPlanes();
      const fmax = i8x16.splat(<i8>(2 * min<u32>(s, 63) + 1));
      for (; i < end && (<u32>pos & 7) != 0; i++) {
        const f = <u32>((load<u64>(src + <usize>(pos >> 3)) >> (pos & 7)) & mask);
        pos += width;
        const mag = f >> 1;
        if (mag > s) { errAt = i; return -3; }
        store<f32>(out + (<usize>i << 2), dequant(norm, f & 1 ? -<i32>mag : <i32>mag, sf, inv, pow2));
      }
      for (; i + 16 <= end; i += 16) {
        const f = unpackFields16(src + <usize>(pos >> 3), width);
        // a field above 2s+1 is a magnitude above s: leave it to the scalar loop, which names it
        if (v128.any_true(i8x16.gt_u(f, fmax))) break;
        lookup16(f, out + (<usize>i << 2));
        pos += width << 4;
      }
    }
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

let dSrc: usize = 0, dEnd: u64 = 0, dNorms: usize = 0, dN: u32 = 0, dB: u32 = 0, dS: u32 = 0, dOut: usize = 0;
let dPos: u64 = 0, dAt: u64 = 0, dLimit: u64 = 0;
/** The bucket of the last decoded level: it ends before coordinate dBEnd; its norm is dNorm. */
let dBEnd: u64 = 0, dNorm: f64 = 0;
/** Levels decoded lately and their bits (both halved as they grow): the mean code length. */
let dAll: u32 = 0, dBits: u64 = 0;

// The level codes (gamma(run + 1), sign, gamma(|l|)) that fit in 12 bits, by their first 12
// bits: len | (run + 1) << 5 | l << 26 (l signed, |l| < 32), and NO_CODE where no whole code
// fits or |l| > s (those take the bit-by-bit decoder, which names an error): its run field puts
// the level 2^21 − 2 past the current one, beyond any window (≤ 2^20 coordinates), so the one
// window check rejects it. Built by the same gamma reading as the bit-by-bit decoder, once per s:
// every level of s = 4 after a run < 8 is ≤ 11 bits.
const TAB_BITS: u32 = 12;
const NO_CODE: u32 = 0x1FFFFF << 5;
/** The longest window eliasStepTable serves (NO_CODE's run must pass its end). */
const TAB_WINDOW: u64 = 1 << 20;
const eTab: usize = memory.data(4 << TAB_BITS, 16);
let eTabS: u32 = 0;

function buildEliasTable(s: u32): void {
  for (let w: u32 = 0; w < (<u32>1 << TAB_BITS); w++) {
    let e: u32 = NO_CODE;
    const n1 = <u32>ctz<u32>(w | (<u32>1 << TAB_BITS)), l1: u32 = 2 * n1 + 1;
    if (l1 + 2 <= TAB_BITS) {
      const r = (<u32>1 << n1) | ((w >> (n1 + 1)) & ((<u32>1 << n1) - 1));
      const neg = (w >> l1) & 1, w2 = w >> (l1 + 1);
      const n2 = <u32>ctz<u32>(w2 | (<u32>1 << (TAB_BITS - l1 - 1))), total: u32 = l1 + 1 + 2 * n2 + 1;
      if (total <= TAB_BITS) {
        const a = (<u32>1 << n2) | ((w2 >> (n2 + 1)) & ((<u32>1 << n2) - 1));
        if (a <= s) e = total | (r << 5) | (<u32>(neg ? -<i32>a : <i32>a) << 26);
      }
    }
    store<u32>(eTab + (<usize>w << 2), e);
  }
  eTabS = s;
}

/**
 * Start decoding an Elias payload of exactly nBits bits (8 zero bytes readable past the end);
 * the levels land in windows of coordinates set by qsgdDecodeEliasWindow.
 */
export function qsgdDecodeEliasBegin(src: usize, nBits: f64, norms: usize, n: u32, b: u32, s: u32): void {
  dSrc = src; dEnd = <u64>nBits; dNorms = norms; dN = n; dB = b; dS = s;
  dPos = 0; dAt = 0; dBEnd = 0; dNorm = 0; dAll = 0; dBits = 0;
  if (eTabS != s) buildEliasTable(s);
}

// The norm of the bucket of coordinate i (≥ every earlier one): a division per bucket entered,
// not per level.
@inline function normAt(i: u64): f64 {
  if (i >= dBEnd) {
    const j = <u32>i / dB;
    dBEnd = <u64>(j + 1) * <u64>dB;
    dNorm = <f64>load<f32>(dNorms + (<usize>j << 2));
  }
  return dNorm;
}

/** Decode coordinates base .. base + len into out[0 .. len) (zeroed here; the levels land on it). */
export function qsgdDecodeEliasWindow(out: usize, base: u32, len: u32): void {
  memory.fill(out, 0, <usize>len << 2);
  dOut = out - (<usize>base << 2); dLimit = <u64>base + <u64>len;
}

/**
 * Decode up to `budget` more non-zero levels of the current window. Returns 1 while bits remain,
 * 2 when the next level lies past the window (it is read again for the next one), 0 when done,
 * or the codes of bits.ts qsgdEliasDecode: −1 truncated or malformed gamma, −2 a run past n, −3
 * a level above s.
 */
export function qsgdDecodeEliasStep(budget: u32): i32 {
  // the table pays when nearly every code is short (s = 4 on Gaussian-like gradients: 99 % of
  // codes ≤ 12 bits, 6.9 bits on average); when many are not (s = 1: a third of the runs are
  // ≥ 31, 10.3 bits on average), leaving its loop mispredicts and the one-level loop alone is
  // faster. Chosen per call by the mean code length of the calls before (counting short codes
  // one by one cost the one-level loop 4 %); same bytes read, same floats written either way
  if (dAll > 8192) { dAll >>= 1; dBits >>= 1; }
  const tab = (dAll < 64 || dBits <= 9 * <u64>dAll) && dLimit - dAt <= TAB_WINDOW;
  return tab ? eliasStepTable(budget) : eliasStepOne(budget);
}

// Levels whose whole code has ≤ 12 bits through the table (TAB_BITS), four per 64-bit read
// (≥ 57 valid bits ≥ 4 · 12) shifted out of a register: from code to code the chain is a mask,
// a table load and a shift, not a load at a bit position that the last code moved. Any other
// level (a longer or bad code, one past the window, the last 48 bits) goes to eliasOne.
function eliasStepTable(budget: u32): i32 {
  const src = dSrc, end = dEnd, s = dS;
  const sf = <f64>s, inv = 1 / sf, pow2 = (s & (s - 1)) == 0;
  // coordinates fit u32 here: < n ≤ 2^28, and a NO_CODE index < 2^28 + 2^21
  const lim = <u32>min<u64>(dLimit, <u64>dN);
  let pos = dPos, k: u32 = 0;
  const pos0 = pos;
  for (;;) {
    // the last level's coordinate (at − 1, modulo 2^32 before the first): the next is last + r
    let last = <u32>dAt - 1;
    // (norm · l) / s = l · (norm · 2^−k) exactly when s = 2^k: one multiplication per level
    let bEnd = <u32>dBEnd, bNorm = dNorm, bMul = bNorm * inv;
    while (pos + 48 <= end && k + 4 <= budget) {
      let w = load<u64>(src + <usize>(pos >> 3)) >> (pos & 7);
      const k0 = k;
      do {
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          pos += <u64>(e & 31);
          w >>= <u64>(e & 31);
          k++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          pos += <u64>(e & 31);
          w >>= <u64>(e & 31);
          k++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          pos += <u64>(e & 31);
          w >>= <u64>(e & 31);
          k++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          pos += <u64>(e & 31);
          w >>= <u64>(e & 31);
          k++;
        }
      } while (false);
      if (k - k0 < 4) break;
    }
    const at = <u64>(last + 1);
    if (pos >= end) { dPos = pos; dAt = at; dAll += k; dBits += pos - pos0; return 0; }
    if (k >= budget) { dPos = pos; dAt = at; dAll += k; dBits += pos - pos0; return 1; }
    dPos = pos; dAt = at;
    const rc = eliasOne(sf, inv, pow2);
    if (rc != 1) { if (rc >= 0) { dAll += k; dBits += dPos - pos0; } return rc; }
    pos = dPos;
    k++;
  }
  return 0; // not reached: the loop returns
}

// One level at (dPos, dAt): 1 when decoded (state moved on), 0 when no bits are left, else
// qsgdDecodeEliasStep's codes (2: state left on the level, for the next window).
function eliasOne(sf: f64, inv: f64, pow2: bool): i32 {
  const src = dSrc, end = dEnd, n = dN, s = dS;
  let pos = dPos, at = dAt;
  if (pos >= end) return 0;
  const pos0 = pos, at0 = at;
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
  if (at >= dLimit) { dPos = pos0; dAt = at0; return 2; }
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
  store<f32>(dOut + (<usize>at << 2), dequant(normAt(at), neg ? -<i32>lvl : <i32>lvl, sf, inv, pow2));
  dPos = pos; dAt = at + 1;
  return 1;
}

// One level per iteration: the whole code from one 64-bit read when it fits in 57 bits, else
// bit field by bit field.
function eliasStepOne(budget: u32): i32 {
  const src = dSrc, end = dEnd, n = dN, s = dS;
  const sf = <f64>s, inv = 1 / sf, pow2 = (s & (s - 1)) == 0;
  let pos = dPos, at = dAt;
  const pos0 = pos;
  for (let k: u32 = 0; pos < end; k++) {
    if (k >= budget) { dPos = pos; dAt = at; dAll += k; dBits += pos - pos0; return 1; }
    {
      // fast path: the whole code (gamma(run + 1), sign, gamma(|l|)) inside one 64-bit read
      // (≥ 57 valid bits after the shift), so one load and two ctz per level instead of three
      // dependent loads; anything else — a longer code, the end of the bits or of the window,
      // an error — goes through the step-by-step decoder below, which names it
      const w = load<u64>(src + <usize>(pos >> 3)) >> (pos & 7);
      const nb1 = <u32>ctz<u64>(w), len1 = 2 * nb1 + 1;
      const w2 = w >> <u64>min<u32>(len1 + 1, 63);
      const nb2 = <u32>ctz<u64>(w2), total = len1 + 2 * nb2 + 2;
      if (total <= 57 && pos + <u64>total <= end) {
        const run = (<u32>1 << nb1) | <u32>((w >> (nb1 + 1)) & ((<u64>1 << nb1) - 1));
        const lvl = (<u32>1 << nb2) | <u32>((w2 >> (nb2 + 1)) & ((<u64>1 << nb2) - 1));
        const i1 = at + <u64>(run - 1);
        if (i1 < dLimit && i1 < <u64>n && lvl <= s) {
          const neg = <u32>(w >> len1) & 1;
          // a division per level, off the dependency chain, beats a bucket-end branch here
          // (mispredicted once per bucket: every ~18 levels at s = 1)
          const norm = <f64>load<f32>(dNorms + (<usize>(<u32>i1 / dB) << 2));
          store<f32>(dOut + (<usize>i1 << 2), dequant(norm, neg ? -<i32>lvl : <i32>lvl, sf, inv, pow2));
          at = i1 + 1;
          pos += <u64>total;
          continue;
        }
      }
    }
    dPos = pos; dAt = at;
    const rc = eliasOne(sf, inv, pow2);
    if (rc != 1) { if (rc >= 0) { dAll += k; dBits += dPos - pos0; } return rc; }
    pos = dPos; at = dAt;
  }
  dPos = pos; dAt = at;
  return 0;
}
