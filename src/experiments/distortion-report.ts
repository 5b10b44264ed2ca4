// Output of experiment E1 (experiments.md): the console table, results JSON + CSV, an SVG bar chart
// of the total distortion (± standard error) per method for each K, and an HTML page showing both.
// Every figure states seeds, sizes and version.
import { version } from "../version.js";
import { barChartSvg, chartFootnote, formatTable, type Table } from "../report/index.js";
import { writeHtmlReport, writeResults, writeSvg } from "../report/node.js";
import type { DistortionConfig, DistortionRow } from "./distortion.js";

export function distortionTable(rows: DistortionRow[]): Table {
  return {
    columns: ["method", "K", "bits/bucket", "unbiased", "total", "± se", "colinear", "± se", "orthogonal", "± se"],
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

/** Writes distortion.{json,csv,svg,html} into dir; returns the paths and the console table. */
export async function writeDistortionReport(dir: string, rows: DistortionRow[], cfg: DistortionConfig): Promise<{ paths: string[]; text: string }> {
  const table = distortionTable(rows);
  const { json, csv } = await writeResults(dir, "distortion", { meta: { experiment: "E1", config: cfg, version }, ...table });
  const svg = await distortionChart(rows, cfg);
  const svgPath = await writeSvg(dir, "distortion.svg", svg);
  const html = await writeHtmlReport(dir, "distortion.html", {
    title: "E1 — distortion at equal bits",
    intro: "Every method quantizes 16-dimensional buckets of x ~ N(0, I) to real bytes and decodes them; K independent compressions are averaged. "
      + "Distortion is per bucket and unnormalised (‖x‖² ≈ d), split into its component along x (colinear) and orthogonal to it. "
      + "Bits per bucket are exact: the payload bits of each message over its buckets (per-message side floats amortised).",
    config: cfg,
    sections: [
      { heading: "Total distortion", svg },
      { heading: "Table", table },
    ],
    footer: distortionFootnote(cfg),
  });
  return { paths: [json, csv, svgPath, html], text: formatTable(table) };
}
