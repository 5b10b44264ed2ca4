// The series colours are told apart by readers with colour-vision deficiencies: each pair is
// simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009,
// severity 1, on linear sRGB) and compared in CIELAB (ΔE*ab, CIE 1976).
import { describe, expect, it } from "vitest";
import { PALETTE } from "../../src/report/palette.js";

type M3 = [number, number, number][];
const VISION: Record<string, M3> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

/** sRGB component (0…255) → linear light (IEC 61966-2-1). */
const linear = (c: number) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };

/** linear sRGB → CIELAB (D65 white). */
function lab([r, g, b]: number[]): [number, number, number] {
  const X = 0.4124 * r! + 0.3576 * g! + 0.1805 * b!, Y = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!, Z = 0.0193 * r! + 0.1192 * g! + 0.9505 * b!;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const [fx, fy, fz] = [f(X / 0.95047), f(Y), f(Z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

function seen(hex: string, m: M3): [number, number, number] {
  const rgb = [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16)));
  return lab(m.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0]! + row[1] * rgb[1]! + row[2] * rgb[2]!))));
}

describe("series palette", () => {
  it("has twelve distinct colours", () => {
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(12);
  });

  // ΔE ≈ 2.3 is a just-noticeable difference; thin lines of different series need far more. 15 is
  // what the Okabe–Ito colours keep among themselves under every simulated deficiency (16.1 at worst).
  it.each(Object.keys(VISION))("keeps every pair of colours at least 15 ΔE*ab apart (%s)", (vision) => {
    let worst = Infinity, pair = "";
    for (let i = 0; i < PALETTE.length; i++) {
      for (let j = i + 1; j < PALETTE.length; j++) {
        const [a, b] = [seen(PALETTE[i]!, VISION[vision]!), seen(PALETTE[j]!, VISION[vision]!)];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        if (d < worst) { worst = d; pair = `${PALETTE[i]} / ${PALETTE[j]}`; }
      }
    }
    expect(worst, pair).toBeGreaterThanOrEqual(15);
  });

  it("the first eight colours (most charts) stand out from the white background: L* ≤ 80", () => {
    for (const c of PALETTE.slice(0, 8)) expect(seen(c, VISION.normal!)[0], c).toBeLessThanOrEqual(80);
  });
});
