// The demo's run summary, legends, downloads and axis labels (demo/src/results.ts, format.ts),
// against values worked out by hand from the definitions.
import { describe, expect, it } from "vitest";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { accuracyChartShown, crossedBefore, resultsCsv, runLabel, settledBelow, summarize, type RunData, type RoundRow } from "../../demo/src/results.js";
import { formatMs, logTickLabel } from "../../demo/src/format.js";

const problem = { kind: "mnist" as const, clients: 2, count: 500, labelsPerClient: 3, seed: 1, ridge: 1e-4 };
const session = (algorithm: string, config: SessionSpec["config"]): SessionSpec => ({ algorithm, config, problem, seed: 1, rounds: 4, batchSize: 32 });

/** rows with the given losses and (up, down) bits per round */
function rows(losses: number[], bits: [number, number][]): RoundRow[] {
  return losses.map((loss, i) => ({ round: i, loss, bitsUp: bits[i]![0], bitsDown: bits[i]![1], participants: [0, 1], ms: 100 * (i + 1) }));
}

describe("bits to target: the first round after which the loss stays at or below it", () => {
  it("is the settling round, not the first crossing", () => {
    // crosses 1.0 at round 1, back above at round 2, stays below from round 3
    const l = [2, 0.9, 1.1, 0.95, 0.8];
    expect(settledBelow(l, 1)).toBe(3);
    expect(crossedBefore(l, 1, 3)).toBe(true);
  });
  it("is −1 when the last loss is above the target", () => {
    expect(settledBelow([2, 0.5, 1.5], 1)).toBe(-1);
  });
  it("counts a loss equal to the target as reached", () => {
    expect(settledBelow([2, 1, 1], 1)).toBe(1);
    expect(crossedBefore([2, 1, 1], 1, 1)).toBe(false);
  });
});

describe("run summary", () => {
  const sgd: RunData = { label: "sgd", session: session("sgd", { gamma: 0.5 }), state: "done", wallMs: 1234,
    rows: rows([3, 2, 1, 0.5], [[100, 100], [100, 100], [100, 100], [100, 100]]) };
  const art: RunData = { label: "artemis", session: session("artemis", { gamma: 0.5 }), state: "done", wallMs: 999,
    rows: rows([3, 1.5, 0.9, 0.7], [[10, 10], [10, 10], [10, 10], [10, 10]]) };

  it("uses the user's target: bits up + down through the settling round, ratio to SGD's", () => {
    const { rows: r } = summarize([sgd, art], 1);
    // SGD settles at round index 2 (loss 1 ≤ 1): 3 rounds × 200 bits; Artemis at index 2 (0.9): 3 × 20
    expect(r[0]!.bitsToTarget).toBe(600);
    expect(r[1]!.bitsToTarget).toBe(60);
    expect(r[1]!.ratioToSgd).toBeCloseTo(0.1, 15);
    expect(r[0]!.ratioToSgd).toBe(1);
    expect(r[0]!.finalLoss).toBe(0.5);
    expect(r[1]!.totalBits).toBe(80);
    expect(r[0]!.wallMs).toBe(1234);
  });

  it("without a target uses the loosest final loss among finished runs of the problem (0.7 here)", () => {
    const { rows: r, targets } = summarize([sgd, art]);
    expect([...targets.values()]).toEqual([0.7]);
    // SGD is first ≤ 0.7 at index 3 (0.5): 800 bits; Artemis at index 3 (0.7): 80 bits
    expect(r[0]!.bitsToTarget).toBe(800);
    expect(r[1]!.bitsToTarget).toBe(80);
  });

  it("gives no ratio without an SGD run on the same problem", () => {
    const other = { ...sgd, session: { ...sgd.session, problem: { ...problem, seed: 2 } } };
    const { rows: r } = summarize([other, art], 1);
    expect(r[1]!.ratioToSgd).toBeUndefined();
  });

  it("a stopped run does not set the automatic target", () => {
    const stopped: RunData = { ...art, state: "stopped", rows: rows([3, 2.5], [[10, 10], [10, 10]]) };
    expect([...summarize([sgd, stopped]).targets.values()]).toEqual([0.5]);
  });

  it("writes one CSV line per round plus round 0, with cumulative bits", () => {
    const csv = resultsCsv([{ ...art, label: "a, \"b\"", initialLoss: 3.5 }]).trim().split("\n");
    expect(csv).toHaveLength(1 + 1 + 4);
    // 2 clients: round 0 sends nothing (0 bits each); these rows recorded no per-client bits (empty)
    expect(csv[1]).toBe('0,"a, ""b""",0,3.5,,0,0,0,0,,0,0,0,0,0');
    expect(csv[4]).toBe('0,"a, ""b""",3,0.9,,10,10,30,30,0 1,300,,,,');
  });

  it("has each client's bits per round, the same numbers as the JSON's clientBitsUp / clientBitsDown", () => {
    // client 0 sends 7 bits, client 1 sends 3 (10 up in all) and each receives 5 (10 down); round 1 only client 1 takes part
    const withClients: RunData = { ...art, rows: [
      { round: 0, loss: 2, bitsUp: 10, bitsDown: 10, participants: [0, 1], clientBitsUp: [7, 3], clientBitsDown: [5, 5], ms: 100 },
      { round: 1, loss: 1, bitsUp: 4, bitsDown: 5, participants: [1], clientBitsUp: [0, 4], clientBitsDown: [0, 5], ms: 200 },
    ] };
    const csv = resultsCsv([withClients]).trim().split("\n");
    expect(csv[0]!.split(",").slice(11)).toEqual(["bits_up_client_0", "bits_up_client_1", "bits_down_client_0", "bits_down_client_1"]);
    expect(csv[2]!.split(",").slice(11)).toEqual(["7", "3", "5", "5"]);
    expect(csv[3]!.split(",").slice(11)).toEqual(["0", "4", "0", "5"]);
    // the per-client columns add up to the round's totals
    for (const line of csv.slice(1)) {
      const f = line.split(",").map(Number);
      expect(f[11]! + f[12]!).toBe(f[5]);
      expect(f[13]! + f[14]!).toBe(f[6]);
    }
  });

  it("pads the per-client columns of a run with fewer clients than another", () => {
    const three: RunData = { ...art, session: { ...art.session, problem: { ...problem, clients: 3 } },
      rows: [{ round: 0, loss: 2, bitsUp: 9, bitsDown: 3, participants: [0, 1, 2], clientBitsUp: [3, 3, 3], clientBitsDown: [1, 1, 1], ms: 100 }] };
    const two: RunData = { ...art, rows: [{ round: 0, loss: 2, bitsUp: 4, bitsDown: 2, participants: [0, 1], clientBitsUp: [2, 2], clientBitsDown: [1, 1], ms: 100 }] };
    const csv = resultsCsv([three, two]).trim().split("\n");
    expect(csv[0]!.split(",").slice(11)).toHaveLength(6);
    expect(csv[4]!.split(",").slice(11)).toEqual(["2", "2", "", "1", "1", ""]);
  });
});

describe("legends name every hyper-parameter", () => {
  it("artemis: compressors with parameters, γ, p, the default α = 1/(2(ω+1)) and the batch", () => {
    const s: SessionSpec = { ...session("artemis", { gamma: 0.5, participation: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } }) };
    // QSGD with s = 1 at d = 7850: ω = min(d/s², √d/s) = √7850 ≈ 88.60 → α = 1/(2·89.60) ≈ 0.00558
    const label = runLabel(s);
    expect(label).toContain("↑qsgd(s=1");
    expect(label).toContain("γ=0.5");
    expect(label).toContain("p=0.5");
    expect(label).toContain("batch 32");
    const alpha = Number(/α=([0-9.e-]+) \(default\)/.exec(label)![1]);
    expect(alpha).toBeCloseTo(1 / (2 * (Math.sqrt(7850) + 1)), 4);
  });
  it("a given α is shown as given; sgd has none", () => {
    expect(runLabel(session("artemis", { gamma: 0.1, alpha: 0.25 }))).toMatch(/α=0\.25(?! \(default\))/);
    expect(runLabel(session("sgd", { gamma: 0.1 }))).not.toContain("α");
  });
});

describe("axis labels", () => {
  it("labels powers of ten as 10ⁿ and leaves 3·10ⁿ unlabelled", () => {
    expect(logTickLabel(1e6, 5)).toBe("10⁶");
    expect(logTickLabel(1, 5)).toBe("10⁰");
    expect(logTickLabel(0.001, 5)).toBe("10⁻³");
    expect(logTickLabel(3e6, 5)).toBe("");
    expect(logTickLabel(2e6, 5)).toBe("");
  });
  it("adds 2·10ⁿ and 5·10ⁿ on an axis of under two decades", () => {
    expect(logTickLabel(2e6, 1.5)).toBe("2·10⁶");
    expect(logTickLabel(5e4, 1.5)).toBe("5·10⁴");
    expect(logTickLabel(7e4, 1.5)).toBe("");
  });
  it("formats durations", () => {
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(12_345)).toBe("12.3 s");
    expect(formatMs(245_000)).toBe("4 min 05 s");
  });
});

describe("the test-accuracy chart", () => {
  it("stays shown after a logistic run when an earlier run on the page was MNIST", () => {
    expect(accuracyChartShown(["mnist", "logistic"])).toBe(true);
    expect(accuracyChartShown(["mnist-model", "logistic", "logistic"])).toBe(true);
  });
  it("is hidden only when every run is the logistic toy (no held-out digits)", () => {
    expect(accuracyChartShown(["logistic"])).toBe(false);
    expect(accuracyChartShown(["logistic", "logistic"])).toBe(false);
  });
  it("is shown on an empty page (as before any run)", () => {
    expect(accuracyChartShown([])).toBe(true);
  });
});
