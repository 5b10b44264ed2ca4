// Grouped bar chart with ± standard-error bars (distortion of each method for each K) as SVG.
import type { TopLevelSpec } from "vega-lite";
import { FedquantError } from "../errors.js";
import { checkPixels, checkTitle } from "./chart-checks.js";
import { logAxis } from "./log-axis.js";
import { droppedSummary } from "./notes.js";
import { MAX_SERIES, seriesColor } from "./palette.js";
import { baseConfig, renderSvg } from "./render.js";

export interface Bar {
  /** Bars of one series share a colour (e.g. "K = 20"). */
  series: string;
  /** The x category the bar stands in (e.g. "StoVoQ"); must be one of `groups`. */
  group: string;
  value: number;
  /** Standard error: drawn as value ± error. */
  error?: number;
}

export interface BarChartSpec {
  title: string;
  subtitle?: string;
  xLabel?: string;
  yLabel: string;
  logY?: boolean;
  /** The x categories, in display order. */
  groups: string[];
  bars: Bar[];
  /** Series display order; default: order of first appearance in `bars`. */
  series?: string[];
  width?: number;
  height?: number;
  footnote?: string;
}

interface Row { g: string; s: string; v: number; lo?: number; hi?: number }

export async function barChartSvg(spec: BarChartSpec): Promise<string> {
  const series = checkBars(spec);
  const { rows, notes } = collectBars(spec);
  const hasErrors = rows.some((r) => r.lo !== undefined);
  let yScale: Record<string, unknown> = { zero: true };
  let yAxis: Record<string, unknown> = {};
  let y2: Record<string, unknown> | undefined;
  if (spec.logY) {
    const lo = Math.min(...rows.map((r) => Math.min(r.v, r.lo ?? r.v)));
    const hi = Math.max(...rows.map((r) => Math.max(r.v, r.hi ?? r.v)));
    const axis = logAxis(lo, hi);
    // Bars on a log scale start at the bottom of the domain, so fix it to the first labelled tick.
    yScale = { type: "log", domain: [axis.values[0], axis.values[axis.values.length - 1]] };
    yAxis = { values: axis.values, labelExpr: axis.labelExpr };
    // vega-lite draws log-scale bars with zero height unless told where they start.
    y2 = { datum: axis.values[0] };
  }
  const x = { field: "g", type: "nominal", title: spec.xLabel ?? null, sort: spec.groups, scale: { domain: spec.groups }, axis: { labelAngle: spec.groups.some((g) => g.length > 8) ? -30 : 0 } };
  const xOffset = { field: "s", type: "nominal", sort: series, scale: { domain: series, paddingInner: 0.05 } };
  const layers: unknown[] = [
    {
      mark: { type: "bar" },
      encoding: {
        x, xOffset,
        y: { field: "v", type: "quantitative", title: spec.yLabel, scale: yScale, axis: yAxis },
        ...(y2 ? { y2 } : {}),
        color: { field: "s", type: "nominal", title: null, scale: { domain: series, range: series.map((_, i) => seriesColor(i)) } },
      },
    },
  ];
  if (hasErrors) {
    layers.push({
      transform: [{ filter: "isValid(datum.lo)" }],
      mark: { type: "rule", color: "#222", strokeWidth: 1.2 },
      encoding: { x, xOffset, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
    });
  }
  const vl = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: spec.subtitle ? { text: spec.title, subtitle: spec.subtitle } : { text: spec.title },
    width: spec.width ?? Math.max(360, Math.min(900, spec.groups.length * (series.length * 16 + 24))),
    height: spec.height ?? 320,
    data: { values: rows },
    layer: layers,
    config: baseConfig,
  } as unknown as TopLevelSpec;
  if (hasErrors) notes.push("Error bars: ± one standard error.");
  return renderSvg(vl, [...notes, spec.footnote ?? ""]);
}

function checkBars(spec: BarChartSpec): string[] {
  checkTitle("barChartSvg", spec?.title);
  checkPixels("barChartSvg", "width", spec.width);
  checkPixels("barChartSvg", "height", spec.height);
  if (!Array.isArray(spec.groups) || spec.groups.length === 0) throw new FedquantError("E_CONFIG", "barChartSvg: expected at least one group");
  if (new Set(spec.groups).size !== spec.groups.length) throw new FedquantError("E_CONFIG", "barChartSvg: group names must be distinct");
  if (!Array.isArray(spec.bars) || spec.bars.length === 0) throw new FedquantError("E_CONFIG", "barChartSvg: expected at least one bar");
  const groups = new Set(spec.groups);
  const seen = new Set<string>();
  const firstSeen: string[] = [];
  for (const b of spec.bars) {
    if (!groups.has(b.group)) throw new FedquantError("E_CONFIG", `barChartSvg: bar group "${b.group}" is not one of groups [${spec.groups.join(", ")}]`);
    const key = JSON.stringify([b.series, b.group]);
    if (seen.has(key)) throw new FedquantError("E_CONFIG", `barChartSvg: two bars for series "${b.series}" in group "${b.group}"`);
    seen.add(key);
    if (!firstSeen.includes(b.series)) firstSeen.push(b.series);
    if (b.error !== undefined && !(b.error >= 0) && !Number.isNaN(b.error)) {
      throw new FedquantError("E_INPUT", `barChartSvg: error of "${b.series}" / "${b.group}" must be ≥ 0, found ${b.error}`);
    }
  }
  const series = spec.series ?? firstSeen;
  for (const s of firstSeen) {
    if (!series.includes(s)) throw new FedquantError("E_CONFIG", `barChartSvg: bar series "${s}" is missing from series [${series.join(", ")}]`);
  }
  if (series.length > MAX_SERIES) throw new FedquantError("E_CONFIG", `barChartSvg: at most ${MAX_SERIES} series, found ${series.length}`);
  return series;
}

function collectBars(spec: BarChartSpec): { rows: Row[]; notes: string[] } {
  const rows: Row[] = [];
  const dropped = new Map<string, number>();
  const clipped = new Map<string, number>();
  const noError = new Map<string, number>();
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const b of spec.bars) {
    if (!Number.isFinite(b.value) || (spec.logY && b.value <= 0)) {
      count(dropped, b.series);
      continue;
    }
    const row: Row = { g: b.group, s: b.series, v: b.value };
    if (b.error !== undefined && !Number.isFinite(b.error)) count(noError, b.series);
    if (b.error !== undefined && Number.isFinite(b.error)) {
      row.lo = b.value - b.error;
      row.hi = b.value + b.error;
      // On a log axis the lower whisker cannot reach ≤ 0: end it at a tenth of the bar and say so.
      if (spec.logY && row.lo <= 0) {
        row.lo = b.value / 10;
        count(clipped, b.series);
      }
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new FedquantError("E_INPUT", `barChartSvg "${spec.title}": no plottable bar (non-finite values${spec.logY ? " or values ≤ 0 on the log axis" : ""})`);
  const notes: string[] = [];
  if (dropped.size > 0) notes.push(`Not plotted: ${droppedSummary([...dropped], "bar")} ${spec.logY ? "non-finite or ≤ 0 on the log y axis" : "non-finite"}.`);
  if (noError.size > 0) notes.push(`No error bar (non-finite standard error): ${droppedSummary([...noError], "bar")}.`);
  if (clipped.size > 0) notes.push(`Lower error bar cut at value/10 on the log axis: ${droppedSummary([...clipped], "bar")}.`);
  return { rows, notes };
}
