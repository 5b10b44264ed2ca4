// Turns the trajectories of one `fedquant run` into files: results JSON + CSV (one row per
// algorithm and evaluated iteration), a summary table, SVG figures of F(w_k) − F* on a log axis
// against iterations and against bits (up, down, total), and the HTML report.
import { version } from "../version.js";
import { chartFootnote, formatBits, formatTable, htmlReport, lineChartSvg, type Table } from "../report/index.js";
import { writeHtmlReport, writeResults, writeSvg } from "../report/node.js";
import type { Divergence, RecordedCurve } from "./divergence.js";
import type { RunConfig } from "./run-config.js";
import { targetHit } from "./target.js";

/** One algorithm's curve (the evaluated points of RecordedCurve) with its label and cost. */
export interface Trajectory extends RecordedCurve {
  label: string;
  algorithm: string;
  seconds: number;
  /** set when the algorithm diverged: the arrays end at its last finite evaluated point */
  diverged?: Divergence;
  /** `runs: n` > 1: excessLoss is 10^(mean log10) over n seeds, band 10^(mean ± 1 sd) (run-average.ts) */
  runs?: number;
  band?: { lo: number[]; hi: number[] };
  /** each run's mean log10(F − F*) over its last quarter (runs > 1) */
  runTails?: number[];
}

/** What the payload and wire columns count (shown in every run report). */
export const BITS_NOTE = "Payload bits are the compressed vectors' own bits, summed over every uplink and downlink message: "
  + "what the papers count and plot. Wire bits are 8 × the bytes actually sent: the payload plus each message's header "
  + "(37 bytes plus the compressor's parameters: magic, format version, compressor id, dimension, seed, stream id, counter, payload bit count; src/wire/header.ts). "
  + "A header costs the same for a 2-coordinate and a million-coordinate vector, so in very small dimensions (d = 2) the wire column "
  + "is mostly headers and a compressed algorithm can send more wire bits than SGD; from a few hundred coordinates on, the payload dominates. "
  + "\"k: stays ≤ target\" is the first evaluated iteration after which F − F* never goes back above the target; "
  + "\"oscillates\" marks a curve that went below earlier and came back above (a first crossing alone would be optimistic). "
  + "\"tail log10(F − F*)\" is the mean of log10(F − F*) over the last quarter of the iterations: the height of the plateau a noisy curve ends on.";

export interface RunSummaryRow {
  label: string; finalExcess: number;
  /** payload / wire bits at the first evaluated iteration after which F − F* stays ≤ target (target.ts) */
  bitsToTarget: number | null; wireBitsToTarget?: number | null;
  /** that iteration, and the first one at or below the target */
  iterationToTarget?: number | null; firstBelowIteration?: number | null;
  /** went below the target, then back above it */
  oscillated?: boolean;
  bitsTotal: number; wireBitsTotal: number; seconds: number; divergedAt?: number | null; tailLog10?: number;
  /** sample sd of the runs' own last-quarter means (runs > 1) */
  tailSd?: number;
}

/**
 * The level a curve settles at: the mean of log10(F − F*) (F − F* below `floor` counted at the
 * floor) over the last quarter of the evaluated iterations — with a constant step in the
 * stochastic regime the curves end on a noisy plateau, and the papers' claims are about its height.
 */
export function tailLog10(t: Trajectory, floor = 1e-16): number {
  const n = t.iterations.length, last = t.iterations[n - 1]!, from = last - Math.floor(last / 4);
  let sum = 0, count = 0;
  for (let i = 0; i < n; i++) if (t.iterations[i]! >= from) { sum += Math.log10(Math.max(t.excessLoss[i]!, floor)); count++; }
  return sum / count;
}

export function summarize(trajs: Trajectory[], target: number, floor = 1e-16): RunSummaryRow[] {
  return trajs.map((t) => {
    const hit = targetHit(t.excessLoss, (e) => e <= target, t.diverged !== undefined);
    const i = hit.settled, last = t.iterations.length - 1;
    return {
      label: t.label, finalExcess: t.excessLoss[last]!,
      bitsToTarget: i !== null ? t.bitsTotal[i]! : null, wireBitsToTarget: i !== null ? t.wireBitsTotal[i]! : null,
      iterationToTarget: i !== null ? t.iterations[i]! : null, firstBelowIteration: hit.first !== null ? t.iterations[hit.first]! : null,
      oscillated: hit.oscillated,
      bitsTotal: t.bitsTotal[last]!, wireBitsTotal: t.wireBitsTotal[last]!, seconds: t.seconds,
      divergedAt: t.diverged ? t.diverged.iteration : null, tailLog10: tailLog10(t, floor),
      ...(t.runTails && t.runTails.length > 1 ? { tailSd: sampleSd(t.runTails) } : {}),
    };
  });
}

/** The "k: stays ≤ target" cell: the iteration it stays below from; "(oscillates, first k₀)" when it was below at k₀ already. */
function reachedCell(r: RunSummaryRow): string {
  const first = r.firstBelowIteration;
  if (r.iterationToTarget == null) {
    return first != null ? `not reached (oscillates, first ${first})` : "not reached";
  }
  return r.oscillated ? `${r.iterationToTarget} (oscillates, first ${first})` : String(r.iterationToTarget);
}

function sampleSd(x: readonly number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

/** `floor`: F − F* below it is float64 rounding of F (possibly negative), shown as such. */
export function summaryTable(rows: RunSummaryRow[], target: number, floor = 0): Table {
  const excess = (e: number): string | number => (e < floor ? `< ${floor.toExponential(0)} (float64 floor)` : e);
  const bits = (b: number | null | undefined) => (b == null ? "—" : formatBits(b));
  // averaged runs: the sd across runs of each run's own last-quarter mean, beside the mean
  const sd = rows.some((r) => r.tailSd !== undefined);
  return {
    // short headings: the console table must fit a terminal; BITS_NOTE and the CLI's line under
    // the table say what each column counts
    columns: ["algorithm", "final F − F*", `k: stays ≤ ${target}`, "payload to target", "wire to target",
      "payload (all)", "wire (all)", "seconds", "tail log10(F − F*)", ...(sd ? ["sd across runs"] : [])],
    rows: rows.map((r) => [r.label, r.divergedAt != null ? `diverged at k = ${r.divergedAt}` : excess(r.finalExcess), reachedCell(r),
      bits(r.bitsToTarget), bits(r.wireBitsToTarget), formatBits(r.bitsTotal), formatBits(r.wireBitsTotal), Number(r.seconds.toFixed(2)),
      r.divergedAt != null || r.tailLog10 === undefined ? "—" : Number(r.tailLog10.toFixed(2)),
      ...(sd ? [r.tailSd === undefined || r.divergedAt != null ? "—" : Number(r.tailSd.toFixed(3))] : [])]),
  };
}

export async function writeRunReport(dir: string, cfg: RunConfig, meta: Record<string, unknown>, trajs: Trajectory[]): Promise<{ files: string[]; summary: string }> {
  const rows: (string | number)[][] = [];
  // averaged runs add the band's edges (10^(mean ± sd) of log10(F − F*)) as two more columns
  const banded = cfg.runs > 1;
  for (const t of trajs) {
    t.iterations.forEach((k, i) => rows.push([t.label, k, t.excessLoss[i]!, t.bitsUp[i]!, t.bitsDown[i]!, t.bitsTotal[i]!, t.wireBitsTotal[i]!,
      ...(banded ? [t.band?.lo[i] ?? t.excessLoss[i]!, t.band?.hi[i] ?? t.excessLoss[i]!] : [])]));
  }
  // F − F* at or below float64's resolution of F (≈ 1e-16 · |F*|) is noise, possibly negative:
  // drawn at the floor (and said so in the footnote) rather than dropped.
  const floor = Math.max(1e-16, 4 * Number.EPSILON * Math.abs(Number(meta.fStar) || 0));
  const summary = summarize(trajs, cfg.target, floor);
  const results = await writeResults(dir, cfg.name, {
    meta: { ...meta, config: cfg, version, target: cfg.target, summary, diverged: Object.fromEntries(trajs.filter((t) => t.diverged).map((t) => [t.label, t.diverged])) },
    columns: ["algorithm", "iteration", "excess_loss", "bits_up", "bits_down", "bits_total", "wire_bits_total", ...(banded ? ["excess_loss_band_lo", "excess_loss_band_hi"] : [])],
    rows,
  });
  const floored = trajs.some((t) => t.excessLoss.some((e) => e < floor));
  const seeds = cfg.runs > 1 ? Array.from({ length: cfg.runs }, (_, r) => cfg.seed + r) : cfg.seed;
  const footnote = chartFootnote({ seeds, sizes: { N: String(meta.workers), d: String(meta.dim), K: cfg.iterations, batch: String(cfg.batch), p: cfg.participation, ...(cfg.runs > 1 ? { runs: `${cfg.runs} (mean of log10, band ±1 sd)` } : {}) }, version })
    + (floored ? ` · values below ${floor.toExponential(1)} (float64 resolution of F) drawn at that floor` : "");
  // F − F* itself on a log axis (ticks labelled 10ⁿ, docs/report.md), clamped at the floor
  const clamp = (v: number) => Math.max(v, floor);
  // a diverged curve ends with a marker at its last finite point (report/line-chart.ts endMarker)
  const series = (x: (t: Trajectory) => number[]) => trajs.map((t) => ({
    label: t.label, x: x(t), y: t.excessLoss.map(clamp),
    ...(t.band ? { band: { lo: t.band.lo.map(clamp), hi: t.band.hi.map(clamp) } } : {}),
    ...(t.diverged ? { endMarker: `diverged at k = ${t.diverged.iteration}` } : {}),
  }));
  const title = `${cfg.name}: ${String(meta.problem)}`;
  const figures: { file: string; heading: string; svg: string }[] = [];
  const add = async (file: string, heading: string, xLabel: string, logX: boolean, x: (t: Trajectory) => number[]) => {
    // a link that carried nothing yet (e.g. no downlink before round 1) has no point on a log axis
    if (logX && !trajs.some((t) => x(t).some((v) => v > 0))) return;
    const svg = await lineChartSvg({ title, subtitle: heading, xLabel, yLabel: "F(w_k) − F*", logX, logY: true, series: series(x), footnote });
    figures.push({ file, heading, svg });
  };
  await add("excess-vs-iterations.svg", "excess loss against iterations", "iteration k", false, (t) => t.iterations);
  await add("excess-vs-bits.svg", "excess loss against communicated bits (up + down)", "bits (payload, cumulative)", true, (t) => t.bitsTotal);
  await add("excess-vs-bits-up.svg", "excess loss against uplink bits", "uplink bits", true, (t) => t.bitsUp);
  await add("excess-vs-bits-down.svg", "excess loss against downlink bits", "downlink bits", true, (t) => t.bitsDown);
  const files = [results.json, results.csv];
  for (const f of figures) files.push(await writeSvg(dir, f.file, f.svg));
  const table = summaryTable(summary, cfg.target, floor);
  files.push(await writeHtmlReport(dir, "report.html", htmlReport({
    title: `fedquant run — ${cfg.name}`,
    intro: `${String(meta.problem)}. F* = ${String(meta.fStar)} (${String(meta.optimumMethod)}). γ = ${String(meta.gamma)}.`
      + (cfg.runs > 1 ? ` Each curve is the mean of log10(F − F*) over ${cfg.runs} runs (seeds ${cfg.seed}…${cfg.seed + cfg.runs - 1}), the band ±1 standard deviation; bits are the runs' mean.` : "")
      + `\n\n${BITS_NOTE}`,
    config: cfg,
    files: [...files],
    sections: [{ heading: "Summary", table }, ...figures.map((f) => ({ heading: f.heading, svg: f.svg }))],
    footer: `fedquant ${version}`,
  })));
  return { files, summary: formatTable(table) };
}
