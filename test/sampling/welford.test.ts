// Welford's running moments (spec/langevin.md "Output") against the two-pass formulas.
import { expect, it } from "vitest";
import { RandomStream } from "../../src/random/index.js";
import { Welford } from "../../src/sampling/index.js";

function twoPass(rows: Float64Array[], j: number): [number, number] {
  const n = rows.length;
  let m = 0;
  for (const r of rows) m += r[j]!;
  m /= n;
  let s = 0;
  for (const r of rows) s += (r[j]! - m) ** 2;
  return [m, s / (n - 1)];
}

it("matches the two-pass mean and unbiased variance to 1e-12 relative", () => {
  const z = RandomStream.of(1, "test").normals(3 * 5000);
  const rows = Array.from({ length: 5000 }, (_, i) => Float64Array.of(z[3 * i]!, 2 + 3 * z[3 * i + 1]!, -7 + 0.01 * z[3 * i + 2]!));
  const w = new Welford(3);
  for (const r of rows) w.push(r);
  const v = w.variance();
  for (let j = 0; j < 3; j++) {
    const [m, s] = twoPass(rows, j);
    expect(Math.abs(w.mean[j]! - m)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(m)));
    expect(Math.abs(v[j]! - s) / s).toBeLessThan(1e-12);
  }
});

it("keeps the variance of samples with a mean 1e8 times their spread (where E[x²] − E[x]² loses every digit)", () => {
  const z = RandomStream.of(2, "test").normals(10_000);
  const rows = Array.from(z, (v) => Float64Array.of(1e8 + v));
  const w = new Welford(1);
  for (const r of rows) w.push(r);
  const [, s] = twoPass(rows, 0);
  expect(Math.abs(w.variance()[0]! - s) / s).toBeLessThan(1e-6);
  // the naive formula in float64: the 1e16 squares have an ulp of 2, larger than the variance ≈ 1
  let a = 0, b = 0;
  for (const r of rows) { a += r[0]!; b += r[0]! ** 2; }
  const naive = (b - (a * a) / rows.length) / (rows.length - 1);
  expect(Math.abs(naive - s) / s).toBeGreaterThan(1e-3);
});

it("restores its exact state from save()", () => {
  const w = new Welford(2);
  w.push([1, 2]); w.push([3, 5]);
  const u = new Welford(2);
  u.load(w.save());
  w.push([4, 4]); u.push([4, 4]);
  expect(Array.from(u.mean)).toEqual(Array.from(w.mean));
  expect(Array.from(u.variance())).toEqual(Array.from(w.variance()));
});

it("refuses a saved state whose count is not a sample count (E_STATE), leaving itself unchanged", () => {
  const w = new Welford(1);
  w.push([1]); w.push([3]);
  for (const count of [-1, 1.5, NaN, "2"]) {
    expect(() => w.load({ ...w.save(), count: count as number })).toThrow(expect.objectContaining({ code: "E_STATE" }));
  }
  expect(w.count).toBe(2);
  expect(w.variance()[0]).toBe(2);
});
