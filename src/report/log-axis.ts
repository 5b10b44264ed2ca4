// Tick values and labels for log axes: decades labelled 10ⁿ, so curves spanning many orders of
// magnitude (excess loss, MSE, bits) read at a glance instead of under a crowd of 2…9 ticks.
import { formatNumber } from "./format.js";

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
};

export function powerOfTen(k: number): string {
  return "10" + String(k).split("").map((c) => SUPERSCRIPT[c]!).join("");
}

/** Axis properties (tick values, label expression) for a log scale over positive data in [lo, hi]. */
export function logAxis(lo: number, hi: number): { values: number[]; labelExpr: string } {
  const kLo = Math.floor(Math.log10(lo));
  const kHi = Math.max(Math.ceil(Math.log10(hi)), kLo + 1);
  const decades = kHi - kLo;
  let ticks: { value: number; label: string }[];
  if (decades <= 2) {
    // Too few decades for 10ⁿ labels alone: add 2× and 5× ticks, labelled as plain numbers.
    ticks = [];
    for (let k = kLo; k <= kHi; k++) {
      for (const m of k < kHi ? [1, 2, 5] : [1]) {
        const value = Number(`${m}e${k}`);
        ticks.push({ value, label: formatNumber(value, 3) });
      }
    }
  } else {
    const step = Math.ceil(decades / 10); // at most ~10 labelled decades
    ticks = [];
    for (let k = kLo; k <= kHi; k += step) ticks.push({ value: Number(`1e${k}`), label: powerOfTen(k) });
  }
  // Nested conditionals: the vega expression language has no object lookup by number.
  let expr = "''";
  for (let i = ticks.length - 1; i >= 0; i--) {
    expr = `datum.value === ${String(ticks[i]!.value)} ? '${ticks[i]!.label}' : ${expr}`;
  }
  return { values: ticks.map((t) => t.value), labelExpr: expr };
}
