// f32 polynomial ln, sin and cos for Box–Muller (spec/random.md "Conversions"): Cephes logf /
// sinf / cosf coefficients, evaluated in one fixed order of f32 operations with no fused
// multiply-add, so the SIMD path, the scalar path and the TS twin (Math.fround at every step)
// are bit-identical. Accuracy ~1e-7 relative, far below what Box–Muller normals need.

// logf: ln x = e ln2 + ln m, m ∈ [√½, √2), series in f = m − 1.
const L0: f32 = 7.0376836292e-2;
const L1: f32 = -1.1514610310e-1;
const L2: f32 = 1.1676998740e-1;
const L3: f32 = -1.2420140846e-1;
const L4: f32 = 1.4249322787e-1;
const L5: f32 = -1.6668057665e-1;
const L6: f32 = 2.0000714765e-1;
const L7: f32 = -2.4999993993e-1;
const L8: f32 = 3.3333331174e-1;
const LN2_LO: f32 = -2.12194440e-4;
const LN2_HI: f32 = 0.693359375;
const SQRTHF: f32 = 0.707106781186547524;
// sinf / cosf on |x| ≤ π/4
const S1: f32 = -1.6666654611e-1;
const S2: f32 = 8.3321608736e-3;
const S3: f32 = -1.9515295891e-4;
const C1: f32 = 4.166664568298827e-2;
const C2: f32 = -1.388731625493765e-3;
const C3: f32 = 2.443315711809948e-5;
const HALF_PI: f32 = 1.5707963267948966;


// The SIMD constants as 4-lane vectors in memory, loaded where used (measured a little faster
// than v128.const operands under V8 on this machine; the values are the same either way).
const KF: usize = memory.data<f32>([L0, L0, L0, L0, L1, L1, L1, L1, L2, L2, L2, L2, L3, L3, L3, L3, L4, L4, L4, L4, L5, L5, L5, L5, L6, L6, L6, L6, L7, L7, L7, L7, L8, L8, L8, L8, LN2_LO, LN2_LO, LN2_LO, LN2_LO, LN2_HI, LN2_HI, LN2_HI, LN2_HI, SQRTHF, SQRTHF, SQRTHF, SQRTHF, S1, S1, S1, S1, S2, S2, S2, S2, S3, S3, S3, S3, C1, C1, C1, C1, C2, C2, C2, C2, C3, C3, C3, C3, HALF_PI, HALF_PI, HALF_PI, HALF_PI, <f32>1.0, <f32>1.0, <f32>1.0, <f32>1.0, <f32>0.5, <f32>0.5, <f32>0.5, <f32>0.5, <f32>4.0, <f32>4.0, <f32>4.0, <f32>4.0, <f32>-2.0, <f32>-2.0, <f32>-2.0, <f32>-2.0, <f32>5.9604644775390625e-8, <f32>5.9604644775390625e-8, <f32>5.9604644775390625e-8, <f32>5.9604644775390625e-8, <f32>8388608.0, <f32>8388608.0, <f32>8388608.0, <f32>8388608.0], 16);
/** Constant vector i of KF (22: −2, 23: 2^-24, 20: 0.5). */
@inline export function kf(i: i32): v128 { return v128.load(KF + (<usize>i << 4)); }
const KI: usize = memory.data<u32>([0xff, 0xff, 0xff, 0xff, 126, 126, 126, 126, 0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff, 0x3f000000, 0x3f000000, 0x3f000000, 0x3f000000, 1, 1, 1, 1, 2, 2, 2, 2, 0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);
@inline function ki(i: i32): v128 { return v128.load(KI + (<usize>i << 4)); }

// ln x for x a positive normal f32 (here x ∈ (0, 1)).
export function logPos(x: f32): f32 {
  const bits = reinterpret<u32>(x);
  let e = <i32>((bits >>> 23) & 0xff) - 126;
  const m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000);
  let f: f32;
  if (m < SQRTHF) { e -= 1; f = m + m - <f32>1.0; } else { f = m - <f32>1.0; }
  const ef = <f32>e;
  const z = f * f;
  let p = L0;
  p = p * f + L1; p = p * f + L2; p = p * f + L3; p = p * f + L4;
  p = p * f + L5; p = p * f + L6; p = p * f + L7; p = p * f + L8;
  let y = p * f * z;
  y = y + ef * LN2_LO;
  y = y - z * <f32>0.5;
  let r = f + y;
  r = r + ef * LN2_HI;
  return r;
}

@inline export function logPosSimd(x: v128): v128 {
  // x ∈ (0, 1) has a zero sign bit: the exponent is x >>> 23 without a mask
  let e = i32x4.sub(i32x4.shr_u(x, 23), ki(1));
  const m = v128.or(v128.and(x, ki(2)), ki(3));
  const small = f32x4.lt(m, kf(11));
  e = i32x4.add(e, small); // small lanes are −1
  const one = kf(19);
  const f = v128.bitselect(f32x4.sub(f32x4.add(m, m), one), f32x4.sub(m, one), small);
  const ef = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let p = kf(0);
  p = f32x4.add(f32x4.mul(p, f), kf(1));
  p = f32x4.add(f32x4.mul(p, f), kf(2));
  p = f32x4.add(f32x4.mul(p, f), kf(3));
  p = f32x4.add(f32x4.mul(p, f), kf(4));
  p = f32x4.add(f32x4.mul(p, f), kf(5));
  p = f32x4.add(f32x4.mul(p, f), kf(6));
  p = f32x4.add(f32x4.mul(p, f), kf(7));
  p = f32x4.add(f32x4.mul(p, f), kf(8));
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(ef, kf(9)));
  y = f32x4.sub(y, f32x4.mul(z, kf(20)));
  let r = f32x4.add(f, y);
  return f32x4.add(r, f32x4.mul(ef, kf(10)));
}

// Results of sinCosTurns (AssemblyScript has no tuples; globals avoid an allocation).
export let scalarCos: f32 = 0;
export let scalarSin: f32 = 0;
// The SIMD variant leaves cos in bytes 0..15 and sin in bytes 16..31 of this scratch (a v128
// global would not compile in the scalar build).
export const simdSinCos: usize = memory.data(64, 16);

// cos(2πu), sin(2πu) for u ∈ (0,1): quarter-turn reduction r = 4u − round(4u) is exact
// because u is a multiple of 2^-25.
export function sinCosTurns(u: f32): void {
  const u4 = u * <f32>4.0;
  const q = nearest<f32>(u4);
  const x = (u4 - q) * HALF_PI;
  const z = x * x;
  let ps = S3; ps = ps * z + S2; ps = ps * z + S1;
  const s = x * z * ps + x;
  let pc = C3; pc = pc * z + C2; pc = pc * z + C1;
  const c = z * z * pc - z * <f32>0.5 + <f32>1.0;
  const qi = <i32>q & 3;
  if (qi == 0) { scalarCos = c; scalarSin = s; }
  else if (qi == 1) { scalarCos = -s; scalarSin = c; }
  else if (qi == 2) { scalarCos = -c; scalarSin = -s; }
  else { scalarCos = s; scalarSin = -c; }
}

@inline export function sinCosTurnsSimd(u: v128, slot: usize = 0): void {
  const u4 = f32x4.mul(u, kf(21));
  const q = f32x4.nearest(u4);
  const x = f32x4.mul(f32x4.sub(u4, q), kf(18));
  const z = f32x4.mul(x, x);
  let ps = kf(14);
  ps = f32x4.add(f32x4.mul(ps, z), kf(13));
  ps = f32x4.add(f32x4.mul(ps, z), kf(12));
  const s = f32x4.add(f32x4.mul(f32x4.mul(x, z), ps), x);
  let pc = kf(17);
  pc = f32x4.add(f32x4.mul(pc, z), kf(16));
  pc = f32x4.add(f32x4.mul(pc, z), kf(15));
  const c = f32x4.add(f32x4.sub(f32x4.mul(f32x4.mul(z, z), pc), f32x4.mul(z, kf(20))), kf(19));
  // q ∈ {0..4} is integral: its low bits are those of q + 2^23's mantissa (exact), which costs
  // one add instead of a saturating conversion (x64 has no single instruction for that)
  const qi = f32x4.add(q, kf(24));
  const swap = i32x4.eq(v128.and(qi, ki(4)), ki(4));
  // cos is negated in quadrants 1, 2; sin in quadrants 2, 3 (bit 1 shifted to the sign bit)
  const negCos = i32x4.shl(v128.and(i32x4.add(qi, ki(4)), ki(5)), 30);
  const negSin = i32x4.shl(v128.and(qi, ki(5)), 30);
  v128.store(simdSinCos + slot, v128.xor(v128.bitselect(s, c, swap), negCos));
  v128.store(simdSinCos + slot, v128.xor(v128.bitselect(c, s, swap), negSin), 16);
}
