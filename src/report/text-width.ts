// Text widths for charts rendered without a canvas (Node): vega then estimates every string as
// 0.8 em per character, about 1.5× what Helvetica/Arial draw, so long titles and legends made SVGs
// far wider than their content (E2's: 1879 px, shown scaled down to ~5 px text). This measures with
// the Helvetica advance widths of Adobe's core-font metrics (Arial has the same widths).

// Helvetica advance widths in 1/1000 em for the printable ASCII characters 32 … 126 (Helvetica.afm).
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
];
// Helvetica-Bold runs about 8 % wider on average over the same characters.
const BOLD = 1.08;
const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻";

function advance(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c >= 32 && c <= 126) return ASCII[c - 32]!;
  if (SUPERSCRIPTS.includes(ch)) return 333;
  if (ch === "−" || ch === "×" || ch === "≤" || ch === "≥" || ch === "±") return 584;
  if (ch === "—") return 1000;
  if (ch === "–") return 556;
  return 556; // Greek, accented letters, the rest: a digit's width
}

/** Width in px of `text` drawn in Helvetica/Arial at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += advance(ch);
  return (w / 1000) * fontSize * (bold ? BOLD : 1);
}

interface TextItem { fontSize?: number; fontWeight?: string | number; limit?: number }
interface Metrics { width: (item: TextItem, text: unknown) => number; estimateWidth: unknown }

/** Makes vega measure with textWidth where it would estimate (no canvas); a canvas is left alone. */
/** `vega`: the module, imported lazily by render.ts (vega is loaded only when a chart is drawn). */
export function useHelveticaMetrics(vega: unknown): void {
  const m = (vega as { textMetrics?: Metrics }).textMetrics;
  if (!m || m.width !== m.estimateWidth) return;
  m.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    const w = textWidth(text == null ? "" : String(text).trim(), size, bold);
    // vega shortens a string to its `limit` with an ellipsis when drawing it
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}
