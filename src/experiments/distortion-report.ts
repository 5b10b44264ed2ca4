// Output of experiment E1 (experiments.md): the console table, results JSON + CSV, an SVG bar chart
// of the total distortion (± standard error) per method for each K, and an HTML page showing both.
// Every figure states seeds, sizes and version.
import { version } from "../version.js";
import { barChartSvg, chartFootnote, formatTable, lineChartSvg, type Table } from "../report/index.js";
import { writeHtmlReport, writeResults, writeSvg } from "../report/node.js";
import type { DistortionConfig, DistortionRow } from "./distortion.js";
import type { CorrelationConfig, CorrelationRow } from "./distortion-correlation.js";
import { paperTable } from "./distortion-paper.js";

export function distortionTable(rows: DistortionRow[]): Table {
  return {
    columns: ["method", "K", "bits/bucket", "unbiased", "total", "total ± se", "colinear", "colinear ± se", "orthogonal", "orthogonal ± se"],
    rows: rows.map((r) => [r.label, r.K, r.bitsPerBucket, r.unbiased ? "yes" : "no", r.total, r.totalSe, r.colinear, r.colinearSe, r.orthogonal, r.orthogonalSe]),
  };
}

export function distortionFootnote(cfg: DistortionConfig): string {
  return chartFootnote({
    seeds: cfg.seed,
    sizes: { d: cfg.d, "buckets/message": cfg.buckets, messages: cfg.messages, K: cfg.K.join("/") },
    version,
    extra: "x ~ N(0, I_d); ‖x‖² ≈ d",
  });
}

export async function distortionChart(rows: DistortionRow[], cfg: DistortionConfig): Promise<string> {
  const groups = [...new Set(rows.map((r) => r.short))];
  return barChartSvg({
    title: `E1 — distortion at equal bits (d = ${cfg.d})`,
    subtitle: "E‖x − mean of K compressions‖² per bucket (log scale), ± standard error",
    yLabel: "distortion",
    logY: true,
    groups,
    bars: rows.map((r) => ({ series: `K = ${r.K}`, group: r.short, value: r.total, error: r.totalSe })),
    width: 760,
    height: 360,
    footnote: distortionFootnote(cfg),
  });
}

export function correlationTable(rows: CorrelationRow[]): Table {
  return { columns: ["method", "correlation", "total", "total ± se"], rows: rows.map((r) => [r.label, r.correlation, r.total, r.totalSe]) };
}

/** Distortion of the workers' average against the correlation of their inputs, one line per method. */
export async function correlationChart(rows: CorrelationRow[], cfg: CorrelationConfig): Promise<string> {
  const methods = [...new Set(rows.map((r) => r.method))];
  return lineChartSvg({
    title: `E1 — distortion of the average of K = ${cfg.workers} workers against the correlation of their inputs`,
    subtitle: "E‖x̄ − (1/K) Σ Q(x_k)‖² per bucket (log scale); x_k = √c z + √(1 − c) ε_k",
    xLabel: "correlation c between the workers' vectors",
    yLabel: "distortion of the average",
    logY: true,
    series: methods.map((m, i) => {
      const rs = rows.filter((r) => r.method === m);
      return { label: rs[0]!.short, x: rs.map((r) => r.correlation), y: rs.map((r) => r.total), dashed: i >= 12 };
    }),
    width: 640,
    height: 380,
    footnote: chartFootnote({
      seeds: cfg.seed,
      sizes: { d: cfg.d, "buckets/message": cfg.buckets, messages: cfg.messages, workers: cfg.workers },
      version,
      extra: "x_k ~ N(0, I_d), corr(x_k, x_l) = c",
    }),
  });
}

/**
 * Writes distortion.{json,csv,svg,html} into dir (and distortion-correlation.{json,csv,svg} with the
 * correlation study); returns the paths and the console text.
 */
export async function writeDistortionReport(dir: string, rows: DistortionRow[], cfg: DistortionConfig,
  correlation?: { rows: CorrelationRow[]; cfg: CorrelationConfig }): Promise<{ paths: string[]; text: string }> {
  const table = distortionTable(rows);
  const paper = paperTable(rows);
  const { json, csv } = await writeResults(dir, "distortion", { meta: { experiment: "E1", config: cfg, version }, ...table });
  const svg = await distortionChart(rows, cfg);
  const svgPath = await writeSvg(dir, "distortion.svg", svg);
  const extra: string[] = [];
  const sections: { heading: string; svg?: string; table?: Table; text?: string }[] = [];
  let corrText = "";
  if (correlation) {
    const ct = correlationTable(correlation.rows);
    const r = await writeResults(dir, "distortion-correlation", { meta: { experiment: "E1-correlation", config: correlation.cfg, version }, ...ct });
    const csvg = await correlationChart(correlation.rows, correlation.cfg);
    extra.push(r.json, r.csv, await writeSvg(dir, "distortion-correlation.svg", csvg));
    sections.push({ heading: `Correlated workers (K = ${correlation.cfg.workers})`, svg: csvg }, { heading: "Correlated workers — table", table: ct });
    corrText = `\n\nDistortion of the average of ${correlation.cfg.workers} workers against the correlation of their inputs:\n${formatTable(ct)}`;
  }
  const html = await writeHtmlReport(dir, "distortion.html", {
    title: "E1 — distortion at equal bits",
    intro: "Every method quantizes 16-dimensional buckets of x ~ N(0, I) to real bytes and decodes them; K independent compressions are averaged. "
      + "Distortion is per bucket and unnormalised (‖x‖² ≈ d), split into its component along x (colinear) and orthogonal to it. "
      + "Bits per bucket are exact: the payload bits of each message over its buckets (per-message side floats amortised).",
    config: cfg,
    files: [json, csv, svgPath, ...extra],
    sections: [
      { heading: "Total distortion", svg },
      { heading: "Table", table },
      { heading: "Against the paper (Leconte et al. 2021, Table 1; the cells the project's sources quote)", table: paper },
      ...sections,
    ],
    footer: distortionFootnote(cfg),
  });
  return { paths: [json, csv, svgPath, html, ...extra], text: `${formatTable(table)}\n\nAgainst the paper:\n${formatTable(paper)}${corrText}` };
}
