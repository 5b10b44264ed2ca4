// Footnote helpers: what a chart dropped, and the reproducibility line (seeds, sizes, version).

/** "3 points (QSGD: 2, DIANA: 1)", listing at most six series so the footnote stays a line or two. */
export function droppedSummary(counts: [string, number][], unit = "point"): string {
  const total = counts.reduce((a, [, n]) => a + n, 0);
  const shown = counts.slice(0, 6).map(([label, n]) => `${label}: ${n}`);
  if (counts.length > 6) shown.push(`${counts.length - 6} more series`);
  return `${total} ${unit}${total === 1 ? "" : "s"} (${shown.join(", ")})`;
}

export interface FootnoteInfo {
  seeds?: number | readonly number[];
  sizes?: Record<string, number | string>;
  version?: string;
  extra?: string;
}

/**
 * The line every figure carries so it can be reproduced, e.g.
 * "seeds 1, 2, 3 · n=16384, D=512, K=32 · fedquant 0.1.0".
 */
export function chartFootnote(info: FootnoteInfo): string {
  const parts: string[] = [];
  if (info.seeds !== undefined) {
    const seeds = typeof info.seeds === "number" ? [info.seeds] : [...info.seeds];
    parts.push(`seed${seeds.length === 1 ? "" : "s"} ${seeds.join(", ")}`);
  }
  if (info.sizes && Object.keys(info.sizes).length > 0) {
    parts.push(Object.entries(info.sizes).map(([k, v]) => `${k}=${v}`).join(", "));
  }
  if (info.version) parts.push(`fedquant ${info.version}`);
  if (info.extra) parts.push(info.extra);
  return parts.join(" · ");
}
