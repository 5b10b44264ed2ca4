// The Elias-gamma half of QSGD's fused decoder (issue #9; spec/compressors.md "QSGD"): payload
// codes — per non-zero level gamma(zero run + 1), the sign, gamma(|l|), LSB-first — to
// x̂_i = f32((norm_j · l_i) / s) in f64, window by window of coordinates (src/kernel/messages.ts),
// with every malformed code named (truncated / bad gamma, a run past n, a level above s) and never
// a read past the payload's 8 readable zero bytes. The same floats as the per-coordinate reader of
// bits.ts qsgdEliasDecode (test/compressors/qsgd-elias-*.test.ts, golden.test.ts).

// f32((norm · l) / s) in f64; a power-of-two s divides exactly as a multiplication by 2^-k.
@inline export function dequant(norm: f64, l: i32, s: f64, inv: f64, pow2: bool): f32 {
  return pow2 ? <f32>(norm * <f64>l * inv) : <f32>(norm * <f64>l / s);
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
  // one copy of the loop per kind of s (the per-level choice folded away)
  return (dS & (dS - 1)) == 0 ? tableLoop(budget, true) : tableLoop(budget, false);
}

@inline function tableLoop(budget: u32, pow2: bool): i32 {
  const src = dSrc, end = dEnd, s = dS;
  const sf = <f64>s, inv = 1 / sf;
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
      let used: u32 = 0, nk: u32 = 0;
      // four codes of ≤ 12 bits each fit the 48 bits one 64-bit read guarantees past its shift.
      // Written out four times on purpose: the same body as `for (let u = 0; u < 4; u++)` made
      // s=4 Elias decodeInto 3.5 % slower at D = 25M (bench/research/qsgd-ab-combined.ts, two
      // interleaved runs of 11 rounds); `break` leaves the group early, as in that loop.
      do {
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          used += e & 31;
          w >>= <u64>(e & 31);
          nk++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          used += e & 31;
          w >>= <u64>(e & 31);
          nk++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          used += e & 31;
          w >>= <u64>(e & 31);
          nk++;
        }
        {
          const e = load<u32>(eTab + (<usize>(<u32>w & 4095) << 2));
          const i = last + ((e >> 5) & 0x1FFFFF);
          if (i >= lim) break;
          if (i >= bEnd) { bNorm = normAt(<u64>i); bEnd = <u32>dBEnd; bMul = bNorm * inv; }
          const l = <f64>(<i32>e >> 26);
          store<f32>(dOut + (<usize>i << 2), pow2 ? <f32>(l * bMul) : <f32>(bNorm * l / sf));
          last = i;
          used += e & 31;
          w >>= <u64>(e & 31);
          nk++;
        }
      } while (false);
      pos += <u64>used; k += nk;
      if (nk < 4) break;
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
@inline function eliasOne(sf: f64, inv: f64, pow2: bool): i32 {
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
