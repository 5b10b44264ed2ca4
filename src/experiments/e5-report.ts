// E5's files: results JSON + CSV (a summary row per algorithm, the accuracy traces, the bucket
// quantiles), SVG figures (test accuracy against rounds and against bits up / down / total, the
// bucket-norm histograms with r_M(ρ)/ρ) and the HTML report that shows them.
import { version } from "../version.js";
import {
  chartFootnote, formatTable, htmlReport, lineChartSvg,
  type HtmlSection, type LineSeries, type Table,
} from "../report/index.js";
import { writeHtmlReport, writeResults, writeSvg } from "../report/node.js";
import { E5_TARGET_ACCURACY, type E5Size } from "./e5-config.js";
import type { E5Trace } from "./e5-run.js";
import { targetHit } from "./target.js";

export interface Figure { file: string; heading: string; svg: string }

/** First evaluated round with accuracy ≥ target, and the cumulative bits at that round. */
export function bitsToTarget(t: E5Trace, target = E5_TARGET_ACCURACY): { round: number; up: number; down: number } | undefined {
  const i = t.accuracy.findIndex((a) => a >= target);
  return i < 0 ? undefined : { round: t.rounds[i]!, up: t.bitsUp[i]!, down: t.bitsDown[i]! };
}

/**
 * The evaluated round from which accuracy stays ≥ target to the end (target.ts), and whether it
 * reached the target earlier and fell back ("oscillates"): the first crossing alone flatters a
 * noisy curve (issue #14 item 10).
 */
export function settledRound(t: E5Trace, target = E5_TARGET_ACCURACY): { round: number | null; oscillated: boolean } {
  const hit = targetHit(t.accuracy, (a) => a >= target);
  return { round: hit.settled === null ? null : t.rounds[hit.settled]!, oscillated: hit.oscillated };
}

export function summaryTable(traces: readonly E5Trace[]): Table {
  const pct = (x: number) => Number((100 * x).toFixed(2));
  return {
    columns: ["algorithm", "compressor", "final_accuracy_%", "best_accuracy_%", `round_to_${100 * E5_TARGET_ACCURACY}%`,
      "bits_up_to_target", "bits_down_to_target", "bits_total_to_target", "bits_up_per_client_round",
      "ms_gradient_per_round", "ms_client_fedquant_per_round", "ms_server_fedquant_per_round", "compression_share_%",
      `round_from_which_stays_≥${100 * E5_TARGET_ACCURACY}%`, "oscillates_around_target"],
    rows: traces.map((t) => {
      const hit = bitsToTarget(t), settled = settledRound(t);
      const R = t.rounds[t.rounds.length - 1]!, clients = t.bitsPerClientDivisor;
      const total = t.ms.gradient + t.ms.client + t.ms.server;
      return [t.label, t.compressor, pct(t.accuracy[t.accuracy.length - 1]!), pct(Math.max(...t.accuracy)),
        hit ? hit.round : "not reached", hit ? hit.up : "", hit ? hit.down : "", hit ? hit.up + hit.down : "",
        R > 0 ? Math.round(t.bitsUp[t.bitsUp.length - 1]! / (R * clients)) : 0,
        Number(t.ms.gradient.toFixed(1)), Number(t.ms.client.toFixed(1)), Number(t.ms.server.toFixed(1)),
        Number((100 * (t.ms.client + t.ms.server) / total).toFixed(1)),
        settled.round ?? "not reached", settled.oscillated ? "yes" : "no"];
    }),
  };
}

export function traceTable(traces: readonly E5Trace[]): Table {
  const rows: (string | number)[][] = [];
  for (const t of traces) t.rounds.forEach((k, i) => rows.push([t.label, k, t.accuracy[i]!, t.bitsUp[i]!, t.bitsDown[i]!]));
  return { columns: ["algorithm", "round", "test_accuracy", "bits_up", "bits_down"], rows };
}

export function footnote(seed: number, size: E5Size, backend: string, dim: number): string {
  return chartFootnote({ seeds: seed, sizes: { D: dim, clients: size.clients, batch: size.batch, rounds: size.rounds, digits: size.digits }, version, extra: `TF.js ${backend} backend` });
}

export async function accuracyFigures(traces: readonly E5Trace[], note: string): Promise<Figure[]> {
  const dashed = (t: E5Trace) => t.compressor === "f32";
  const figs: Figure[] = [];
  const rounds: LineSeries[] = traces.map((t) => ({ label: t.label, x: t.rounds, y: t.accuracy, dashed: dashed(t) }));
  figs.push({ file: "e5-accuracy-vs-rounds.svg", heading: "test accuracy against rounds", svg: await lineChartSvg({ title: "E5: federated CNN on MNIST (20 clients, 2 labels each)", xLabel: "round", yLabel: "test accuracy", series: rounds, footnote: note }) });
  for (const [key, name] of [["up", "uplink"], ["down", "downlink"], ["total", "total"]] as const) {
    const series: LineSeries[] = traces.map((t) => {
      const x: number[] = [], y: number[] = [];
      t.rounds.forEach((_, i) => {
        const b = key === "up" ? t.bitsUp[i]! : key === "down" ? t.bitsDown[i]! : t.bitsUp[i]! + t.bitsDown[i]!;
        if (b > 0) { x.push(b); y.push(t.accuracy[i]!); }
      });
      return { label: t.label, x, y, dashed: dashed(t) };
    }).filter((s) => s.x.length > 0);
    figs.push({ file: `e5-accuracy-vs-bits-${key}.svg`, heading: `test accuracy against ${name} bits`, svg: await lineChartSvg({ title: `E5: test accuracy against ${name} bits`, xLabel: `${name} payload bits, all clients (cumulative)`, yLabel: "test accuracy", logX: true, series, footnote: note }) });
  }
  return figs;
}

export interface ReportInput {
  dir: string; title: string; intro: string; config: unknown; meta: Record<string, unknown>;
  traces: E5Trace[]; figures: Figure[]; extraTables: { heading: string; name: string; table: Table }[]; notes: string[];
}

export async function writeE5Report(o: ReportInput): Promise<{ files: string[]; summary: string }> {
  const files: string[] = [];
  const summary = summaryTable(o.traces);
  const r = await writeResults(o.dir, "e5", { meta: { ...o.meta, config: o.config, version }, ...summary });
  files.push(r.json, r.csv);
  const t = await writeResults(o.dir, "e5-trace", { meta: { experiment: "e5", version }, ...traceTable(o.traces) });
  files.push(t.json, t.csv);
  for (const e of o.extraTables) { const x = await writeResults(o.dir, e.name, { meta: { experiment: "e5", version }, ...e.table }); files.push(x.json, x.csv); }
  for (const f of o.figures) files.push(await writeSvg(o.dir, f.file, f.svg));
  const sections: HtmlSection[] = [{ heading: "Summary", table: summary }];
  for (const e of o.extraTables) sections.push({ heading: e.heading, table: e.table });
  for (const f of o.figures) sections.push({ heading: f.heading, svg: f.svg });
  if (o.notes.length) sections.push({ heading: "Notes", text: o.notes.join("\n\n") });
  files.push(await writeHtmlReport(o.dir, "report.html", htmlReport({ title: o.title, intro: o.intro, config: o.config, files, sections, footer: `fedquant ${version}` })));
  return { files, summary: formatTable(summary) };
}
