// E4's files (spec/experiments.md E4): results JSON + CSV (a summary row per sampler and the traces),
// SVG figures — posterior-mean MSE against iterations and against bits, the variance error, the
// calibration plot — and the HTML report that shows them. Every figure carries seeds, sizes, version.
import { version } from "../version.js";
import {
  calibrationChartSvg, chartFootnote, formatTable, htmlReport, lineChartSvg,
  type CalibrationSeries, type HtmlSection, type LineSeries, type Table,
} from "../report/index.js";
import { writeHtmlReport, writeResults, writeSvg } from "../report/node.js";
import type { TracePoint } from "./traces.js";

export interface Figure { file: string; heading: string; svg: string }

/** Trace points averaged over chains (chains of one sampler record the same kept counts). */
export function meanTrace(traces: readonly TracePoint[][], key: string): { round: number[]; bits: number[]; y: number[] } {
  const n = Math.min(...traces.map((t) => t.length));
  const round: number[] = [], bits: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    round.push(traces[0]![i]!.round);
    bits.push(traces.reduce((s, t) => s + t[i]!.bitsPerClient, 0) / traces.length);
    y.push(traces.reduce((s, t) => s + t[i]![key]!, 0) / traces.length);
  }
  return { round, bits, y };
}

export interface TraceSeries { label: string; traces: TracePoint[][] }

/** Rows of the trace CSV: one per (sampler, chain, trace point). */
export function traceTable(series: readonly TraceSeries[], keys: readonly string[]): Table {
  const rows: (string | number)[][] = [];
  for (const s of series) s.traces.forEach((t, c) => { for (const p of t) rows.push([s.label, c, p.round, p.kept, p.bitsPerClient, ...keys.map((k) => p[k]!)]); });
  return { columns: ["sampler", "chain", "step", "kept", "bits_per_client", ...keys], rows };
}

export async function lineFigure(file: string, heading: string, title: string, series: readonly TraceSeries[], key: string, x: "round" | "bits", yLabel: string, footnote: string, logY = true): Promise<Figure> {
  const ls: LineSeries[] = series.map((s) => {
    const m = meanTrace(s.traces, key);
    return { label: s.label, x: x === "round" ? m.round : m.bits, y: m.y, dashed: /\b(LSD|SGLD)\b/.test(s.label) && !/QLSD/.test(s.label) };
  }).filter((s) => s.x.length > 0);
  const svg = await lineChartSvg({
    title, subtitle: heading, xLabel: x === "round" ? "iteration k" : "uplink bits per client (payload, cumulative)",
    yLabel, logX: x === "bits", logY, series: ls, footnote,
  });
  return { file, heading, svg };
}

export async function calibrationFigure(file: string, title: string, series: CalibrationSeries[], footnote: string): Promise<Figure> {
  return { file, heading: "calibration (reliability diagram) of the predictive on the test digits", svg: await calibrationChartSvg({ title, series, footnote }) };
}

export function footnoteFor(seed: number, chains: number, sizes: Record<string, number | string>): string {
  return chartFootnote({ seeds: seed, sizes: { ...sizes, chains }, version, extra: "chain c draws from chainSeed(seed, c)" });
}

export interface ReportFiles { files: string[]; summary: string }

export async function writeE4Report(dir: string, name: string, o: {
  title: string; intro: string; config: unknown; meta: Record<string, unknown>;
  summary: Table; traces: Table; figures: Figure[]; notes?: string[]; extraTables?: { heading: string; table: Table }[];
}): Promise<ReportFiles> {
  const files: string[] = [];
  const r = await writeResults(dir, name, { meta: { ...o.meta, config: o.config, version }, ...o.summary });
  files.push(r.json, r.csv);
  const t = await writeResults(dir, `${name}-trace`, { meta: { experiment: name, version }, ...o.traces });
  files.push(t.json, t.csv);
  for (const f of o.figures) files.push(await writeSvg(dir, f.file, f.svg));
  const sections: HtmlSection[] = [{ heading: "Summary", table: o.summary }];
  for (const e of o.extraTables ?? []) sections.push({ heading: e.heading, table: e.table });
  for (const f of o.figures) sections.push({ heading: f.heading, svg: f.svg });
  if (o.notes?.length) sections.push({ heading: "Notes", text: o.notes.join("\n\n") });
  files.push(await writeHtmlReport(dir, "report.html", htmlReport({ title: o.title, intro: o.intro, config: o.config, files, sections, footer: `fedquant ${version}` })));
  return { files, summary: formatTable(o.summary) };
}
