// "did you mean …?" for misspelt names: the known name at the smallest edit distance
// (Levenshtein, with a transposition counting as one edit), offered only when it is close.
import { FedquantError } from "../../errors.js";

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest known name, if within max(2, ⌊len/3⌋) edits (case and "_"/"-"/space ignored), so
 * "doublesqueeze" finds "double-squeeze" and "qsdg" finds "qsgd", but "foo" suggests nothing.
 * Ties go to the first known name.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const n = norm(name);
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    // a misspelt prefix counts too ("phishng" → "phishing-noniid"), one edit dearer than a whole match
    const kn = norm(k);
    const dist = Math.min(editDistance(n, kn), kn.length > n.length + 1 ? editDistance(n, kn.slice(0, n.length + 1)) + 1 : Infinity);
    if (dist < bestD) { bestD = dist; best = k; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(n.length / 3)) ? best : undefined;
}

/** `; did you mean "x"?` or "". */
export function didYouMean(name: string, known: readonly string[]): string {
  const c = closest(name, known);
  return c !== undefined && c !== name ? `; did you mean "${c}"?` : "";
}

/**
 * Adds the suggestion to the library's `unknown <thing> "<name>"; known: a, b, c` errors (the
 * registries list what they know; the CLI adds the guess) and prefixes where in the config it was.
 */
export function withSuggestion(e: unknown, where: string): unknown {
  if (!(e instanceof FedquantError)) return e;
  const text = e.message.replace(/^E_[A-Z_]+: /, "");
  const m = /unknown [a-z0-9 ]+ "([^"]*)"; known: ([^\n]+?)(?:$|\n|\. )/.exec(text);
  const hint = m ? didYouMean(m[1]!, m[2]!.split(/,\s*/)) : "";
  return new FedquantError(e.code, `${where}: ${text}${hint}`, { cause: e });
}
