// SIMD packing and unpacking of QSGD's fixed-width level fields (spec/compressors.md "QSGD";
// field = |l| << 1 | sign, LSB-first) for the widths of s = 1 (2 bits) and s = 4..7 (4 bits),
// 16 coordinates at a time. Same bytes and floats as the scalar loops of qsgd.ts: packing is
// exact bit arithmetic; decoding looks every field up in a per-bucket table T[f] filled by the
// scalar formula (so every float, −0 fields and subnormals included, is the scalar path's).

/** f = |l| << 1 | (l < 0) for 4 signed levels. */
@inline function fields4(l: v128): v128 {
  return v128.or(i32x4.shl(i32x4.abs(l), 1), i32x4.shr_u(l, 31));
}

/**
 * Pack the 16 signed levels (i32) at lv into 16·w/8 bytes at dst, w ∈ {2, 4}; dst must be
 * byte-aligned in the bit stream. Levels are within ±s, so fields fit w bits.
 */
@inline export function packFields16(lv: usize, w: u32, dst: usize): void {
  packBytes16(i8x16.narrow_i16x8_u(
    i16x8.narrow_i32x4_u(fields4(v128.load(lv)), fields4(v128.load(lv, 16))),
    i16x8.narrow_i32x4_u(fields4(v128.load(lv, 32)), fields4(v128.load(lv, 48)))), w, dst);
}

/** Pack 16 fields f (one per byte, each < 2^w) into 16·w/8 bytes at dst, w ∈ {2, 4}. */
@inline export function packBytes16(f: v128, w: u32, dst: usize): void {
  if (w == 2) {
    // each 32-bit lane holds bytes f0..f3 (< 4): t = f0 | f1<<2 in the low byte, then f2<<4 | f3<<6
    let t = v128.or(f, i32x4.shr_u(f, 6));
    t = v128.or(t, i32x4.shr_u(t, 12));
    v128.store32_lane(dst, i8x16.shuffle(t, t, 0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  } else {
    // each 16-bit lane holds f0 | f1<<8 (< 16 each): low byte of t = f0 | f1<<4
    const t = v128.or(f, i16x8.shr_u(f, 4));
    v128.store64_lane(dst, i8x16.shuffle(t, t, 0, 2, 4, 6, 8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  }
}

/** The table of one bucket: T[f] (16 f32), then its 4 byte planes (16 bytes each). */
const tab: usize = memory.data(64 + 64, 16);

/** Store T[f] for the 2^w fields of a bucket (see qsgd.ts dequant); call fieldPlanes after. */
@inline export function fieldTableAt(f: u32): usize { return tab + (<usize>f << 2); }

/** Byte planes P_k[f] = byte k of T[f], the operands of i8x16.swizzle. */
export function fieldPlanes(): void {
  for (let k: u32 = 0; k < 4; k++) {
    for (let f: u32 = 0; f < 16; f++) store<u8>(tab + 64 + (<usize>k << 4) + f, load<u8>(tab + (<usize>f << 2) + k));
  }
}

/**
 * The 16 fields (one per byte, in coordinate order) of the 16·w/8 bytes at src, w ∈ {2, 4}.
 */
@inline export function unpackFields16(src: usize, w: u32): v128 {
  const m15 = i8x16.splat(15);
  if (w == 4) {
    const v = v128.load64_zero(src);
    return i8x16.shuffle(v128.and(v, m15), i8x16.shr_u(v, 4), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  }
  const v = v128.load32_zero(src);
  const nib = i8x16.shuffle(v128.and(v, m15), i8x16.shr_u(v, 4), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  return i8x16.shuffle(v128.and(nib, i8x16.splat(3)), i8x16.shr_u(nib, 2), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

/** out[0..16) = T[f_t] for the 16 fields f (bytes < 16) through the byte planes. */
@inline export function lookup16(f: v128, out: usize): void {
  const b0 = i8x16.swizzle(v128.load(tab, 64), f), b1 = i8x16.swizzle(v128.load(tab, 80), f);
  const b2 = i8x16.swizzle(v128.load(tab, 96), f), b3 = i8x16.swizzle(v128.load(tab, 112), f);
  const lo01 = i8x16.shuffle(b0, b1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const hi01 = i8x16.shuffle(b0, b1, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const lo23 = i8x16.shuffle(b2, b3, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const hi23 = i8x16.shuffle(b2, b3, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(out, i8x16.shuffle(lo01, lo23, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
  v128.store(out, i8x16.shuffle(lo01, lo23, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 16);
  v128.store(out, i8x16.shuffle(hi01, hi23, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23), 32);
  v128.store(out, i8x16.shuffle(hi01, hi23, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 48);
}
