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
// are written per non-zero level, found 64 levels at a time through a bit mask, most of them
// from a table of whole codes (putTab); decoded through a table of the codes of ≤ 12 bits while
// nearly all are that short, else one code per read (qsgd-elias-decode.ts). The rounding
// itself is qsgd-round.ts.
import { philox8BlocksSimd, philoxKeys } from "./philox";
import { CHUNK, lv, roundNz16, roundPackWindow, roundWindow } from "./qsgd-round";
import { dot, sumSquares2 } from "./vec";
import { fieldPlanes, fieldTableAt, lookup16, packFields16, unpackFields16 } from "./qsgd-fields";
import { dequant } from "./qsgd-elias-decode";
export { qsgdDecodeEliasBegin, qsgdDecodeEliasWindow, qsgdDecodeEliasStep } from "./qsgd-elias-decode";

let errAt: u32 = 0;
/** 2^100, exact in f32 and f64. */
const TWO100: f64 = 1.2676506002282294e30;

/** The bucket (encode: norm overflow) or coordinate (decode: bad field) of the last error. */
export function qsgdErrorAt(): u32 { return errAt; }

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

// Pending whole bytes of the accumulator out, so cnt < 8.
@inline function byteAlign(): void {
  while (cnt >= 8) { store<u8>(wp, <u8>acc); wp += 1; acc >>= 8; cnt -= 8; }
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

// Stochastic rounding (qsgd-round.ts) and the Elias codes fused, 64 coordinates at a time: the
// levels stay in lv's first 256 bytes, their non-zero mask comes from the registers, and the
// scalar walk of one group (ctz over the mask: work and branches scale with the non-zero levels,
// the walk's exit mispredicted once per 64 coordinates) overlaps the SIMD rounding of the next.
// The writer's state lives in locals (module globals are memory to the engine) and is
// byte-granular: < 8 pending bits, so a putTab code (≤ 21 bits) fits a u32 with them; each level
// stores 4 bytes and advances by the whole ones. The zero run before the mask's bit k is c + k − 1
// (c = 1 − the bit after the last level, wrapping): one add per level. `scaled` false: pre = 1,
// not multiplied (|x| · 1 = |x| exactly). Returns the coordinates done (a multiple of 64).
@inline function roundWalk(x: usize, m: u32, pre: f32, scale: f32, s: i32,
                           k0: u32, k1: u32, ctr: u64, id0: u32, id1: u32, scaled: bool): u32 {
  let i: u32 = 0;
  const vs = f32x4.splat(scale), vp = f32x4.splat(pre), sf = f32x4.splat(<f32>s);
  philoxKeys(k0, k1);
  byteAlign();
  let bacc = <u32>acc, bcnt = cnt, lwp = wp, c = run + 1;
  for (; i + 64 <= m; i += 64) {
    const c0 = ctr + <u64>(i >> 2), c1 = c0 + 8;
    philox8BlocksSimd(lv, <u32>c0, <u32>(c0 >>> 32), id0, id1);
    const xp = x + (<usize>i << 2);
    let mask = <u64>roundNz16(xp, lv, vp, vs, sf, scaled) | (<u64>roundNz16(xp + 64, lv + 64, vp, vs, sf, scaled) << 16);
    philox8BlocksSimd(lv + 128, <u32>c1, <u32>(c1 >>> 32), id0, id1);
    mask |= (<u64>roundNz16(xp + 128, lv + 128, vp, vs, sf, scaled) << 32) | (<u64>roundNz16(xp + 192, lv + 192, vp, vs, sf, scaled) << 48);
    while (mask != 0) {
      const k = <u32>ctz<u64>(mask);
      const l = load<i32>(lv + (<usize>k << 2));
      const r = c + k;
      if (((r >> 8) | (<u32>(l + 8) >> 4)) == 0) {
        const e = load<u32>(putTab + (<usize>((r << 4) | (<u32>l & 15)) << 2));
        bacc |= (e & 0x7FFFFFF) << bcnt;
        bcnt += e >> 27;
        store<u32>(lwp, bacc);
        lwp += <usize>(bcnt >> 3); bacc >>= bcnt & 24; bcnt &= 7;
      } else {
        acc = <u64>bacc; cnt = bcnt; wp = lwp; run = r - 1;
        eliasPut(l);
        byteAlign();
        bacc = <u32>acc; bcnt = cnt; lwp = wp;
      }
      c = 0 - k;
      mask &= mask - 1;
    }
    c += 64;
  }
  acc = <u64>bacc; cnt = bcnt; wp = lwp; run = c - 1;
  return i;
}

// The Elias codes of the levels lv[0 .. m) (after `run` zeros), one level at a time: the levels
// roundWalk leaves (< 64 per window), those of s ≥ 2^22, and every level of the scalar build.
// A function of its own: inlined into qsgdEncodeStep, its locals cost the fixed-width path there.
function eliasLevels(m: u32): void {
  for (let t: u32 = 0; t < m; t++) {
    const l = load<i32>(lv + (<usize>t << 2));
    if (l == 0) { run++; continue; }
    eliasPutFast(l);
  }
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
      } else if (ASC_FEATURE_SIMD && eElias && s < (1 << 22) && m >= 64) {
        // rounding and the Elias walk per 64 coordinates; the rest of the window (< 64) below
        const t = ePre == 1 ? roundWalk(p + (<usize>c << 2), m, 1, eScale, s, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, false)
          : roundWalk(p + (<usize>c << 2), m, ePre, eScale, s, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, true);
        if (t < m) {
          roundWindow(p + (<usize>(c + t) << 2), m - t, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>((c + t) >> 2), eId0, eId1, true);
          eliasLevels(m - t);
        }
      } else {
        if (s < (1 << 22)) roundWindow(p + (<usize>c << 2), m, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, true);
        else roundWindow(p + (<usize>c << 2), m, ePre, eScale, s, lv, eK0, eK1, eCtr + <u64>(c >> 2), eId0, eId1, false);
        if (eElias) {
          eliasLevels(m);
        } else {
          let t: u32 = 0;
          if (ASC_FEATURE_SIMD && (width == 2 || width == 4) && (cnt & 7) == 0) {
            // byte-aligned: flush the pending whole bytes, then 16 fields per step (qsgd-fields.ts)
            while (cnt > 0) { store<u8>(wp, <u8>acc); wp += 1; acc >>= 8; cnt -= 8; }
            for (; t + 16 <= m; t += 16) { packFields16(lv + (<usize>t << 2), width, wp); wp += width << 1; }
          }
          packLevels(lv, t, m, width);
        }
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
