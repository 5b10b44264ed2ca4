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
