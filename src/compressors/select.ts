// Index selection for sparsifiers: the k largest |x_i| (top-k) by quickselect, O(D) expected.
// Ties are broken towards the smaller index so that encoding is deterministic.

/** Indices of the k largest |x_i|, in increasing index order. */
export function topKIndices(x: Float32Array, k: number): Uint32Array {
  const n = x.length;
  if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  // "greater" = larger magnitude, then smaller index
  const before = (a: number, b: number) => {
    const fa = Math.abs(x[a]!), fb = Math.abs(x[b]!);
    return fa > fb || (fa === fb && a < b);
  };
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = idx[(lo + hi) >>> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (before(idx[i]!, pivot)) i++;
      while (before(pivot, idx[j]!)) j--;
      if (i <= j) { const t = idx[i]!; idx[i] = idx[j]!; idx[j] = t; i++; j--; }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  return idx.slice(0, k).sort();
}
