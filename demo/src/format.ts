// Number formatting shared by the page and its end-to-end test (which compares what is shown).
const group = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** An exact integer count, grouped by thousands: 1234567 → "1,234,567". */
export function formatCount(n: number): string { return group.format(n); }

/** Bits, exact and grouped, with a short human unit in brackets: "1,234,567 (1.23 Mbit)". */
export function formatBits(bits: number): string {
  const units: [number, string][] = [[1e9, "Gbit"], [1e6, "Mbit"], [1e3, "kbit"]];
  for (const [u, name] of units) if (bits >= u) return `${formatCount(bits)} (${(bits / u).toPrecision(3)} ${name})`;
  return `${formatCount(bits)}`;
}

export function formatLoss(x: number | undefined): string { return x === undefined ? "–" : x.toPrecision(6); }

const SUP: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };
const sup = (n: number): string => String(n).replace(/./g, (c) => SUP[c] ?? c);

/**
 * A log-scale axis label: powers of ten as "10⁶"; when the axis spans fewer than `fewDecades`
 * decades, also 2 and 5 times a power ("2·10⁶"); every other tick unlabelled (""), so labels
 * never crowd. Chart.js puts ticks at 1…9 × 10ⁿ; their labels were full numbers that overlapped.
 */
export function logTickLabel(v: number, decades: number, fewDecades = 2): string {
  if (!(v > 0)) return "";
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round(v / 10 ** e);
  if (Math.abs(v - m * 10 ** e) > 1e-6 * v) return "";
  if (m === 1) return `10${sup(e)}`;
  if ((m === 2 || m === 5) && decades < fewDecades) return `${m}·10${sup(e)}`;
  return "";
}

/** A duration: "850 ms", "12.3 s", "4 min 05 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
