// What a finished (or running) demo run amounts to, without the DOM: its legend with every
// hyper-parameter, the summary row (final loss, bits to a target, ratio to SGD, wall time), and the
// files a user downloads (results as JSON / CSV, the session as a `fedquant serve` config).
// "Bits to target" follows issue #14 item 10: the bits spent up to the first round after which
// the loss stays at or below the target for the rest of the run, not the first crossing.
import { createAlgorithm } from "../../src/algorithms/index.js";
import { memoryRate } from "../../src/algorithms/config.js";
import { createCompressor } from "../../src/compressors/index.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { CNN_DIM } from "./settings.js";

/** One round as the page recorded it (from the coordinator's RoundReport). */
export interface RoundRow {
  round: number;
  loss?: number;
  /** test accuracy of the server's model on held-out digits (MNIST), in [0, 1] */
  accuracy?: number;
  bitsUp: number;
  bitsDown: number;
  participants: number[];
  /** information bits each client sent / was sent this round (index = client) */
  clientBitsUp?: number[];
  clientBitsDown?: number[];
  /** ms since the run started, when this round closed */
  ms: number;
}

export interface RunData {
  label: string;
  session: SessionSpec;
  initialLoss?: number;
  initialAccuracy?: number;
  rows: RoundRow[];
  /** ms from start to the last round (undefined while running) */
  wallMs?: number;
  /** how the run ended */
  state: "running" | "done" | "stopped" | "failed";
}

const fmtParams = (p: Record<string, unknown> | undefined): string => {
  const e = Object.entries(p ?? {});
  return e.length ? `(${e.map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(",")})` : "";
};

function dimOf(s: SessionSpec): number { return s.problem.kind === "mnist" ? 785 * 10 : s.problem.kind === "mnist-model" ? CNN_DIM : 2; }

/** Does `algorithm` accept `key` in its config (it refuses keys it has no use for)? */
function takes(s: SessionSpec, key: "alpha" | "alphaDown"): boolean {
  try { createAlgorithm(s.algorithm, { ...s.config, [key]: 0.5 }); return true; } catch (e) { return !/does not take/.test((e as Error).message); }
}

/** α as the algorithm will use it: the given one, or its default 1/(2(ω + 1)) at this dimension. */
function alphaText(s: SessionSpec, key: "alpha" | "alphaDown", side: "up" | "down"): string | undefined {
  if (!takes(s, key)) return undefined;
  const a = createAlgorithm(s.algorithm, s.config).config;
  const explicit = s.config[key];
  try {
    const v = memoryRate(explicit, createCompressor(a[side].name, a[side].params), dimOf(s));
    return `${key === "alpha" ? "α" : "α↓"}=${Number(v.toPrecision(3))}${explicit === undefined ? " (default)" : ""}`;
  } catch { return `${key === "alpha" ? "α" : "α↓"}=?`; }
}

/**
 * The legend of a run: algorithm, both compressors with the parameters the user gave (the
 * resolved ones add every default and made legends too long to read), γ, p, α, batch.
 */
export function runLabel(s: SessionSpec): string {
  const a = createAlgorithm(s.algorithm, s.config).config;
  const given = (side: "up" | "down"): Record<string, unknown> | undefined => {
    const c = s.config[side];
    return c && typeof c === "object" && c.name === a[side].name ? (c.params ?? {}) : a[side].params;
  };
  const part = a.participation.kind === "bernoulli" ? `p=${a.participation.p}` : `m=${a.participation.m}`;
  const parts = [
    s.problem.kind === "mnist-model" ? s.problem.model : undefined,
    `${s.algorithm} ↑${a.up.name}${fmtParams(given("up"))} ↓${a.down.name}${fmtParams(given("down"))}`,
    `γ=${a.gamma}`, part, alphaText(s, "alpha", "up"), alphaText(s, "alphaDown", "down"),
    `batch ${s.batchSize ?? "full"}`,
  ];
  return parts.filter((x) => x !== undefined).join(" · ");
}

/** Index of the first round after which loss ≤ target holds to the end; −1 if the last loss is above. */
export function settledBelow(losses: readonly number[], target: number): number {
  let k = losses.length;
  while (k > 0 && losses[k - 1]! <= target) k--;
  return k === losses.length ? -1 : k;
}

/** Did the loss cross the target and come back above it before settling (an oscillation)? */
export function crossedBefore(losses: readonly number[], target: number, settled: number): boolean {
  const end = settled < 0 ? losses.length : settled;
  for (let i = 0; i < end; i++) if (losses[i]! <= target) return true;
  return false;
}

export interface SummaryRow {
  label: string;
  rounds: number;
  finalLoss?: number;
  finalAccuracy?: number;
  /** up + down payload bits until the loss stays ≤ target (undefined: it does not) */
  bitsToTarget?: number;
  /** it went below the target earlier and back above (first crossing ≠ settling) */
  oscillated: boolean;
  /** bitsToTarget / the SGD run's bitsToTarget on the same problem (undefined: no such SGD run) */
  ratioToSgd?: number;
  totalBits: number;
  wallMs?: number;
  state: RunData["state"];
}

/** Same problem (kind, clients, digits, split, seed): runs whose losses can be compared. */
export function problemKey(s: SessionSpec): string { return JSON.stringify(s.problem); }

/**
 * The loss target: the user's, else the loosest final loss among the finished runs of each
 * problem (every one of them reaches it, so each gets a bits-to-target figure).
 */
export function autoTarget(runs: readonly RunData[], problem: string): number | undefined {
  let t: number | undefined;
  for (const r of runs) {
    if (problemKey(r.session) !== problem || r.state !== "done") continue;
    const last = r.rows.at(-1)?.loss;
    if (last !== undefined && Number.isFinite(last)) t = t === undefined ? last : Math.max(t, last);
  }
  return t;
}

export function summarize(runs: readonly RunData[], target?: number): { rows: SummaryRow[]; targets: Map<string, number | undefined> } {
  const targets = new Map<string, number | undefined>();
  for (const r of runs) {
    const k = problemKey(r.session);
    if (!targets.has(k)) targets.set(k, target ?? autoTarget(runs, k));
  }
  const rows = runs.map((r): SummaryRow & { key: string } => {
    const key = problemKey(r.session), t = targets.get(key);
    const losses = r.rows.map((x) => x.loss ?? NaN);
    let cum = 0;
    const cumBits = r.rows.map((x) => (cum += x.bitsUp + x.bitsDown));
    const settled = t === undefined ? -1 : settledBelow(losses, t);
    return {
      key, label: r.label, rounds: r.rows.length, state: r.state,
      finalLoss: r.rows.at(-1)?.loss, finalAccuracy: r.rows.at(-1)?.accuracy,
      bitsToTarget: settled >= 0 ? cumBits[settled] : undefined,
      oscillated: t !== undefined && crossedBefore(losses, t, settled),
      totalBits: cum, wallMs: r.wallMs,
    };
  });
  for (const row of rows) {
    const sgd = rows.find((x) => x.key === row.key && runs[rows.indexOf(x)]!.session.algorithm === "sgd" && x.bitsToTarget !== undefined);
    if (sgd && row.bitsToTarget !== undefined) row.ratioToSgd = row.bitsToTarget / sgd.bitsToTarget!;
  }
  return { rows: rows.map(({ key: _key, ...r }) => r), targets };
}

// ---- downloads ------------------------------------------------------------------------------

/**
 * One CSV line per round of every run; the columns of the report's CSVs (src/report) where they
 * overlap, then each client's information bits of the round (bits_up_client_i, bits_down_client_i,
 * as the JSON's clientBitsUp / clientBitsDown) for i below the largest client count of the runs
 * (empty where a run has fewer clients or did not record them).
 */
export function resultsCsv(runs: readonly RunData[]): string {
  const clients = Math.max(0, ...runs.map((r) => r.session.problem.clients), ...runs.flatMap((r) => r.rows.map((x) => Math.max(x.clientBitsUp?.length ?? 0, x.clientBitsDown?.length ?? 0))));
  const ids = Array.from({ length: clients }, (_, c) => c);
  const head = ["run", "label", "round", "loss", "test_accuracy", "bits_up", "bits_down", "cum_bits_up", "cum_bits_down", "participants", "ms",
    ...ids.map((c) => `bits_up_client_${c}`), ...ids.map((c) => `bits_down_client_${c}`)];
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const perClient = (v: readonly number[] | undefined): (number | string)[] => ids.map((c) => v?.[c] ?? "");
  const lines = [head.join(",")];
  runs.forEach((r, i) => {
    let up = 0, down = 0;
    // round 0 is w_0: nothing sent yet, so 0 bits for each of the run's clients
    const zeros = Array.from({ length: r.session.problem.clients }, () => 0);
    lines.push([i, q(r.label), 0, r.initialLoss ?? "", r.initialAccuracy ?? "", 0, 0, 0, 0, "", 0, ...perClient(zeros), ...perClient(zeros)].join(","));
    for (const x of r.rows) {
      up += x.bitsUp; down += x.bitsDown;
      lines.push([i, q(r.label), x.round + 1, x.loss ?? "", x.accuracy ?? "", x.bitsUp, x.bitsDown, up, down, q(x.participants.join(" ")), Math.round(x.ms),
        ...perClient(x.clientBitsUp), ...perClient(x.clientBitsDown)].join(","));
    }
  });
  return lines.join("\n") + "\n";
}

/**
 * Show the test-accuracy chart? Hidden only when every run on the page (and the one starting) is
 * the logistic toy, which has no held-out digits; a logistic run after MNIST runs keeps their curves visible.
 */
export function accuracyChartShown(problemKinds: readonly string[]): boolean {
  return problemKinds.length === 0 || problemKinds.some((k) => k !== "logistic");
}

export function resultsJson(runs: readonly RunData[], target?: number): string {
  const { rows } = summarize(runs, target);
  return JSON.stringify({ format: "fedquant.demo-results", version: 1, runs: runs.map((r, i) => ({ ...r, summary: rows[i] })) }, null, 1);
}

/**
 * A `fedquant serve` config replaying a run's session (src/federation/transport/serve-config.ts):
 * the same session, the port the README uses, and a deadline long enough that no client misses a round.
 */
export function serveConfig(s: SessionSpec): object {
  return {
    $comment: "from the fedquant demo: npx fedquant serve <this file>, then join with npx fedquant join or the demo's join mode",
    session: s, host: "127.0.0.1", port: 8787, deadlineMs: 600_000, maxFrameBytes: 1 << 24,
  };
}
