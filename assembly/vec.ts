// Dense vector kernels (dot, squared norm, ℓ1 norm, axpy, finiteness check). Reductions
// accumulate in f64 so that norms of million-coordinate gradients keep their precision.

@inline function lowHalf(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
@inline function highHalf(v: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)); }

export function dot(a: usize, b: usize, n: u32): f64 {
  let i: u32 = 0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const va = v128.load(a + (<usize>i << 2)), vb = v128.load(b + (<usize>i << 2));
      s0 = f64x2.add(s0, f64x2.mul(lowHalf(va), lowHalf(vb)));
      s1 = f64x2.add(s1, f64x2.mul(highHalf(va), highHalf(vb)));
    }
    const s = f64x2.add(s0, s1);
    acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  }
  for (; i < n; i++) acc += <f64>load<f32>(a + (<usize>i << 2)) * <f64>load<f32>(b + (<usize>i << 2));
  return acc;
}

export function sumSquares(a: usize, n: u32): f64 { return dot(a, a, n); }

/**
 * dot(a, a, n) and dot(b, b, n), each in exactly dot's order (so bit-identical), as f64 at out
 * and out + 8. One f64 sum is a chain of dependent adds; two interleaved keep the adder busy.
 */
export function sumSquares2(a: usize, b: usize, n: u32, out: usize): void {
  let i: u32 = 0;
  let accA: f64 = 0, accB: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const va = v128.load(a + (<usize>i << 2)), vb = v128.load(b + (<usize>i << 2));
      const la = lowHalf(va), ha = highHalf(va), lb = lowHalf(vb), hb = highHalf(vb);
      a0 = f64x2.add(a0, f64x2.mul(la, la));
      a1 = f64x2.add(a1, f64x2.mul(ha, ha));
      b0 = f64x2.add(b0, f64x2.mul(lb, lb));
      b1 = f64x2.add(b1, f64x2.mul(hb, hb));
    }
    const sa = f64x2.add(a0, a1), sb = f64x2.add(b0, b1);
    accA = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
    accB = f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
  }
  for (; i < n; i++) {
    const xa = <f64>load<f32>(a + (<usize>i << 2)), xb = <f64>load<f32>(b + (<usize>i << 2));
    accA += xa * xa;
    accB += xb * xb;
  }
  store<f64>(out, accA);
  store<f64>(out, accB, 8);
}

// `dot` over a vector passed in windows: st (48 bytes, zeroed before the first window) carries
// the SIMD build's two f64x2 accumulators, or the scalar build's running sum; every window but
// the last must have a multiple of 4 values. The last returns exactly what one `dot` returns.
export function dotStep(a: usize, b: usize, n: u32, st: usize, last: u32): f64 {
  let i: u32 = 0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = v128.load(st), s1 = v128.load(st, 16);
    for (; i + 4 <= n; i += 4) {
      const va = v128.load(a + (<usize>i << 2)), vb = v128.load(b + (<usize>i << 2));
      s0 = f64x2.add(s0, f64x2.mul(lowHalf(va), lowHalf(vb)));
      s1 = f64x2.add(s1, f64x2.mul(highHalf(va), highHalf(vb)));
    }
    v128.store(st, s0); v128.store(st, s1, 16);
    if (!last) return 0;
    const s = f64x2.add(s0, s1);
    acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    acc = load<f64>(st, 32);
  }
  for (; i < n; i++) acc += <f64>load<f32>(a + (<usize>i << 2)) * <f64>load<f32>(b + (<usize>i << 2));
  store<f64>(st, acc, 32);
  return acc;
}

export function absSum(a: usize, n: u32): f64 {
  let i: u32 = 0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = f32x4.abs(v128.load(a + (<usize>i << 2)));
      s0 = f64x2.add(s0, lowHalf(v));
      s1 = f64x2.add(s1, highHalf(v));
    }
    const s = f64x2.add(s0, s1);
    acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  }
  for (; i < n; i++) acc += <f64>abs<f32>(load<f32>(a + (<usize>i << 2)));
  return acc;
}

// y ← y + α x
export function axpy(y: usize, alpha: f32, x: usize, n: u32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const p = y + (<usize>i << 2);
      v128.store(p, f32x4.add(v128.load(p), f32x4.mul(va, v128.load(x + (<usize>i << 2)))));
    }
  }
  for (; i < n; i++) {
    const p = y + (<usize>i << 2);
    store<f32>(p, load<f32>(p) + alpha * load<f32>(x + (<usize>i << 2)));
  }
}

// Index of the first NaN or ±Inf, or −1. (x − x is 0 for finite x and NaN otherwise.)
export function firstNonFinite(x: usize, n: u32): i32 {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // 16 at a time; a block with a bad lane is rescanned below to find the first one
    const z = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const p = x + (<usize>i << 2);
      const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
      const bad = v128.or(v128.or(f32x4.ne(f32x4.sub(a, a), z), f32x4.ne(f32x4.sub(b, b), z)),
                          v128.or(f32x4.ne(f32x4.sub(c, c), z), f32x4.ne(f32x4.sub(d, d), z)));
      if (v128.any_true(bad)) break;
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0) return <i32>i;
  }
  return -1;
}
