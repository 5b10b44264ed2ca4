// Twelve colours that stay apart from each other on screen and in print (Tableau 10 plus two dark
// hues); beyond twelve series the colours repeat with a dotted stroke so every series stays distinct.
export const PALETTE = [
  "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b",
  "#b279a2", "#ff9da6", "#9d755d", "#bab0ac", "#222222", "#6a3d9a",
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
