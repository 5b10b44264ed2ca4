// Twelve line colours that stay apart for readers with colour-vision deficiencies: the eight of
// Okabe & Ito (2008, "Color Universal Design"; yellow moved last, it is faint on white) and four
// chosen to be furthest (CIELAB ΔE) from them under simulated protanopia, deuteranopia and
// tritanopia (Machado, Oliveira & Fernandes 2009): every pair is ≥ 16 ΔE apart in all four visions
// (test/report/palette.test.ts). Beyond twelve series the colours repeat with a dotted stroke.
export const PALETTE = [
  "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9",
  "#000000", "#9933ff", "#663300", "#330099", "#990066", "#f0e442",
] as const;

export const MAX_SERIES = 2 * PALETTE.length;

export const SOLID: number[] = [1, 0];
export const DASHED: number[] = [6, 4];
export const DOTTED: number[] = [2, 2];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

export function seriesDash(i: number, dashed: boolean | undefined): number[] {
  if (dashed) return DASHED;
  return i >= PALETTE.length ? DOTTED : SOLID;
}
