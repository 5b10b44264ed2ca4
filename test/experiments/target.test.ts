// "Bits to target" is the first evaluated point after which the curve stays at or below the target
// (issue #14 item 10), with oscillation flagged; every expectation is read off hand-made curves.
import { describe, expect, it } from "vitest";
import { summarize, summaryTable, type Trajectory } from "../../src/experiments/run-report.js";
import { targetHit } from "../../src/experiments/target.js";

const below = (target: number) => (v: number) => v <= target;

describe("targetHit", () => {
  it("a monotone curve settles at its first crossing and does not oscillate", () => {
    expect(targetHit([1, 0.5, 0.1, 0.01, 0.001], below(0.1))).toEqual({ settled: 2, first: 2, oscillated: false });
  });

  it("a curve that crosses, goes back above, then stays below settles at the second crossing and is flagged", () => {
    //                  0    1     2    3     4     5
    expect(targetHit([1, 0.05, 0.2, 0.08, 0.09, 0.01], below(0.1))).toEqual({ settled: 3, first: 1, oscillated: true });
  });

  it("a curve that crosses but ends above never settles and is flagged", () => {
    expect(targetHit([1, 0.05, 0.2], below(0.1))).toEqual({ settled: null, first: 1, oscillated: true });
  });

  it("a curve that never meets the target has neither", () => {
    expect(targetHit([1, 0.5, 0.2], below(0.1))).toEqual({ settled: null, first: null, oscillated: false });
  });

  it("a value exactly at the target meets it (≤), NaN never does", () => {
    expect(targetHit([1, 0.1, 0.1], below(0.1)).settled).toBe(1);
    expect(targetHit([1, 0.01, NaN], below(0.1))).toEqual({ settled: null, first: 1, oscillated: true });
  });

  it("a curve that ended early (diverged) never settles, even if its last finite point was below", () => {
    expect(targetHit([1, 0.01], below(0.1), true)).toEqual({ settled: null, first: 1, oscillated: true });
  });

  it("works for 'at least' targets (accuracy ≥ 0.9) the same way", () => {
    expect(targetHit([0.5, 0.92, 0.88, 0.91, 0.95], (a) => a >= 0.9)).toEqual({ settled: 3, first: 1, oscillated: true });
  });
});

const traj = (excessLoss: number[], extra: Partial<Trajectory> = {}): Trajectory => {
  const n = excessLoss.length, it = Array.from({ length: n }, (_, i) => 10 * i);
  return {
    label: "a", algorithm: "a", iterations: it, excessLoss,
    bitsUp: it.map((k) => 3 * k), bitsDown: it.map((k) => k), bitsTotal: it.map((k) => 4 * k), wireBitsTotal: it.map((k) => 4 * k + 100 * k),
    seconds: 1, ...extra,
  };
};

describe("run summary", () => {
  it("reports payload and wire bits at the iteration from which F − F* stays ≤ target, and the first crossing", () => {
    const [r] = summarize([traj([1, 1e-5, 1e-3, 1e-5, 1e-6])], 1e-4);
    // settles at index 3 = iteration 30: payload 4·30, wire 104·30; first below at index 1 = iteration 10
    expect(r).toMatchObject({ iterationToTarget: 30, bitsToTarget: 120, wireBitsToTarget: 3120, firstBelowIteration: 10, oscillated: true });
  });

  it("says 'oscillates' in the table, with the first crossing, and 'not reached' for a curve that went back above", () => {
    const rows = summarize([traj([1, 1e-5, 1e-3, 1e-5]), traj([1, 1e-5, 1e-3], { label: "b" }), traj([1, 1e-5], { label: "c" })], 1e-4);
    const t = summaryTable(rows, 1e-4);
    const k = t.columns.findIndex((c) => c.startsWith("k: stays ≤"));
    expect(t.rows.map((row) => row[k])).toEqual([
      "30 (oscillates, first 10)",
      "not reached (oscillates, first 10)",
      "10",
    ]);
    const wire = t.columns.indexOf("wire to target");
    expect(t.rows.map((row) => row[wire])).toEqual(["3.12 kbit", "—", "1.04 kbit"]);
  });

  it("a diverged curve never reaches the target", () => {
    const [r] = summarize([traj([1, 1e-5], { diverged: { iteration: 20, reason: "non-finite loss" } })], 1e-4);
    expect(r).toMatchObject({ bitsToTarget: null, iterationToTarget: null, divergedAt: 20 });
  });
});
