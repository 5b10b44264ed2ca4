// Rounding to float32 in a chosen direction: side values that bound something (a grid top, a
// bucket's scale) must not come out below the f64 value they stand for.

/** The next float32 above v (the smallest positive subnormal above 0). */
export function nextUpF32(v: number): number {
  const b = new Float32Array([v]), u = new Uint32Array(b.buffer);
  if (v === 0) return 1.4e-45;
  u[0]! += v > 0 ? 1 : -1;
  return b[0]!;
}

/** The smallest float32 ≥ v (Infinity above the float32 range). */
export function roundUpF32(v: number): number {
  const f = Math.fround(v);
  return f < v ? nextUpF32(f) : f;
}
