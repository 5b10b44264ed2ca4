// When a curve "reaches" a target (issue #14 item 10): the first evaluated point after which it
// stays on the good side for the rest of the run — not the first crossing, which a run that
// oscillates (a constant step on a noisy plateau, an algorithm drifting away) makes optimistic.
// A curve that crossed earlier and went back is flagged `oscillated`.

export interface TargetHit {
  /** index of the first evaluated point from which every later point meets the target; null if the last one does not */
  settled: number | null;
  /** index of the first point that meets the target, null if none does */
  first: number | null;
  /** the curve met the target, then failed it again later (first < settled, or met and never settled) */
  oscillated: boolean;
}

/**
 * `meets(v)` says whether one value is on the good side (e.g. F − F* ≤ 1e-4, accuracy ≥ 0.95).
 * `ended`: the curve stopped early (diverged) — it did not stay anywhere, so it never settles.
 */
export function targetHit(values: ArrayLike<number>, meets: (v: number) => boolean, ended = false): TargetHit {
  let first: number | null = null;
  for (let i = 0; i < values.length; i++) if (meets(values[i]!)) { first = i; break; }
  let settled: number | null = null;
  if (!ended) {
    // walk back from the end while the target holds: the last run of good points
    for (let i = values.length - 1; i >= 0 && meets(values[i]!); i--) settled = i;
  }
  const oscillated = first !== null && (settled === null || first < settled);
  return { settled, first, oscillated };
}
