// Number formatting shared by the console table, the HTML tables and the chart footnotes.
import { FedquantError } from "../errors.js";

/**
 * A number for humans: `digits` significant digits, exponent form below 1e-3 and from 1e6 up
 * (where fixed notation would be all zeros or unreadably long), integers kept exact below 1e9
 * because iteration counts and bit counts are read as integers.
 */
export function formatNumber(x: number, digits = 4): string {
  checkDigits(digits);
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (Number.isInteger(x) && abs < 1e9) return String(x);
  if (abs < 1e-3 || abs >= 1e6) return exponent(x, digits);
  // toPrecision would switch to exponent form when the integer part has more digits than asked.
  if (Math.floor(Math.log10(abs)) >= digits - 1) return String(Math.round(x));
  return stripZeros(x.toPrecision(digits));
}

/** A bit count in SI units with three significant digits: 512 → "512 bit", 1234567 → "1.23 Mbit". */
export function formatBits(n: number): string {
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new FedquantError("E_INPUT", `formatBits: expected a finite bit count ≥ 0, found ${String(n)}`);
  }
  const units = ["bit", "kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit"];
  let k = 0;
  let v = n;
  while (k < units.length - 1 && Number(v.toPrecision(3)) >= 1000) {
    v /= 1000;
    k++;
  }
  const text = k === 0 && Number.isInteger(v) ? String(v) : stripZeros(v.toPrecision(3));
  return `${text} ${units[k]}`;
}

function exponent(x: number, digits: number): string {
  const [mantissa, exp] = x.toExponential(digits - 1).split("e");
  return `${stripZeros(mantissa!)}e${exp!}`;
}

function stripZeros(s: string): string {
  return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s;
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new FedquantError("E_CONFIG", `digits must be an integer in [1, 17], found ${String(digits)}`);
  }
}
