// Plain-TS twin of assembly/mathf.ts: the same Cephes f32 polynomials, the same order of
// operations, Math.fround after every one, so Box–Muller normals match the wasm bit for bit.
const f = Math.fround;
const L = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f);
const LN2_LO = f(-2.12194440e-4);
const LN2_HI = f(0.693359375);
const SQRTHF = f(0.707106781186547524);
const S1 = f(-1.6666654611e-1), S2 = f(8.3321608736e-3), S3 = f(-1.9515295891e-4);
const C1 = f(4.166664568298827e-2), C2 = f(-1.388731625493765e-3), C3 = f(2.443315711809948e-5);
const HALF_PI = f(1.5707963267948966);

const bitsF = new Float32Array(1);
const bitsU = new Uint32Array(bitsF.buffer);

/** ln x for a positive normal f32 x. */
export function logPosF32(x: number): number {
  bitsF[0] = x;
  const bits = bitsU[0]!;
  let e = ((bits >>> 23) & 0xff) - 126;
  bitsU[0] = (bits & 0x007fffff) | 0x3f000000;
  const m = bitsF[0]!;
  let fr: number;
  if (m < SQRTHF) { e -= 1; fr = f(f(m + m) - 1); } else { fr = f(m - 1); }
  const ef = f(e);
  const z = f(fr * fr);
  let p = L[0]!;
  for (let i = 1; i < 9; i++) p = f(f(p * fr) + L[i]!);
  let y = f(f(p * fr) * z);
  y = f(y + f(ef * LN2_LO));
  y = f(y - f(z * 0.5));
  let r = f(fr + y);
  r = f(r + f(ef * LN2_HI));
  return r;
}

/** [cos 2πu, sin 2πu] for u ∈ (0,1) a multiple of 2^-25 (so 4u − round(4u) is exact). */
export function sinCosTurnsF32(u: number): [number, number] {
  const u4 = f(u * 4);
  const q = Math.round(u4); // never a tie: u4 is an odd multiple of 2^-23
  const x = f(f(u4 - q) * HALF_PI);
  const z = f(x * x);
  let ps = S3; ps = f(f(ps * z) + S2); ps = f(f(ps * z) + S1);
  const s = f(f(f(x * z) * ps) + x);
  let pc = C3; pc = f(f(pc * z) + C2); pc = f(f(pc * z) + C1);
  const c = f(f(f(f(z * z) * pc) - f(z * 0.5)) + 1);
  switch (q & 3) {
    case 0: return [c, s];
    case 1: return [-s, c];
    case 2: return [-c, -s];
    default: return [s, -c];
  }
}
