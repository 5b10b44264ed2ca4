// Line chart of several series (excess loss or posterior MSE against iterations or bits) as SVG.
import type { TopLevelSpec } from "vega-lite";
import { FedquantError } from "../errors.js";
import { checkPixels, checkTitle } from "./chart-checks.js";
import { logAxis } from "./log-axis.js";
import { m4 } from "./decimate.js";
import { droppedSummary } from "./notes.js";
import { MAX_SERIES, seriesColor, seriesDash } from "./palette.js";
import { baseConfig, renderSvg } from "./render.js";

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** drawn as a cross and a label at the series' last plotted point (e.g. "diverged at k = 57") */
  endMarker?: string;
  /** a shaded band lo…hi around the line at the same x (e.g. ±1 sd over averaged runs) */
  band?: { lo: ArrayLike<number>; hi: ArrayLike<number> };
}

export interface LineChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Seeds, sizes, version: one line under the chart (the caller states what reproduces it). */
  footnote?: string;
}

interface Row { s: string; x: number; y: number; i: number }
interface Marker { s: string; x: number; y: number; text: string }
interface BandRow { s: string; x: number; lo: number; hi: number }

export async function lineChartSvg(spec: LineChartSpec): Promise<string> {
  checkCommon(spec);
  const width = spec.width ?? 560;
  const { rows, notes, markers } = collectPoints(spec, width);
  const bands = collectBands(spec, width);
  const labels = spec.series.map((s) => s.label);
  const xs = rows.map((r) => r.x);
  const ys = rows.map((r) => r.y);
  const color = { field: "s", type: "nominal", title: null, scale: { domain: labels, range: labels.map((_, i) => seriesColor(i)) } };
  const x = { field: "x", type: "quantitative", title: spec.xLabel, ...axisFor(spec.logX, xs) };
  const y = { field: "y", type: "quantitative", title: spec.yLabel, ...axisFor(spec.logY, ys) };
  const line = {
    mark: { type: "line", strokeWidth: 1.8, clip: true },
    encoding: {
      x, y,
      // color and strokeDash on the same field and domain: vega-lite merges them into one legend,
      // so a dashed series shows dashed in the legend too.
      color,
      strokeDash: {
        field: "s", type: "nominal", title: null,
        scale: { domain: labels, range: spec.series.map((s, i) => seriesDash(i, s.dashed)) },
      },
      order: { field: "i", type: "quantitative" }, // draw in the caller's order, not sorted by x
    },
  };
  const head = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: spec.subtitle ? { text: spec.title, subtitle: spec.subtitle } : { text: spec.title },
    width,
    height: spec.height ?? 340,
  };
  // Without end markers the spec is the single-layer one (unchanged output); with them, a cross
  // and its text are layered over the lines, sharing their scales (no second legend).
  // bands (averaged runs) go under the lines, in the series' colour, translucent
  const bandLayer = bands.length === 0 ? [] : [{
    data: { values: bands }, mark: { type: "area", opacity: 0.18, clip: true },
    encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...color, legend: null } },
  }];
  const vl: TopLevelSpec = (markers.length === 0 && bands.length === 0
    ? { ...head, data: { values: rows }, ...line, config: baseConfig }
    : {
      ...head,
      layer: [
        ...bandLayer,
        { data: { values: rows }, ...line },
        { data: { values: markers }, mark: { type: "point", shape: "cross", size: 140, filled: true, clip: true }, encoding: { x, y, color: { ...color, legend: null } } },
        { data: { values: markers }, mark: { type: "text", align: "left", dx: 8, dy: 0, fontSize: 10, clip: true }, encoding: { x, y, text: { field: "text", type: "nominal" }, color: { ...color, legend: null } } },
      ],
      config: baseConfig,
    }) as TopLevelSpec;
  return renderSvg(vl, [...notes, spec.footnote ?? ""]);
}

function axisFor(log: boolean | undefined, values: number[]): Record<string, unknown> {
  if (!log) return { scale: { zero: false, nice: true } };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const { values: ticks, labelExpr } = logAxis(lo, hi);
  return { scale: { type: "log", nice: true }, axis: { values: ticks, labelExpr, tickCount: ticks.length } };
}

function checkCommon(spec: LineChartSpec): void {
  checkTitle("lineChartSvg", spec?.title);
  if (!Array.isArray(spec.series) || spec.series.length === 0) {
    throw new FedquantError("E_CONFIG", "lineChartSvg: expected at least one series, found none");
  }
  if (spec.series.length > MAX_SERIES) {
    throw new FedquantError("E_CONFIG", `lineChartSvg: at most ${MAX_SERIES} series are readable in one chart, found ${spec.series.length}; split the chart`);
  }
  const seen = new Set<string>();
  for (const s of spec.series) {
    if (typeof s.label !== "string" || s.label === "") throw new FedquantError("E_CONFIG", "lineChartSvg: every series needs a non-empty label");
    if (seen.has(s.label)) throw new FedquantError("E_CONFIG", `lineChartSvg: duplicate series label "${s.label}" (legend entries must be distinct)`);
    seen.add(s.label);
    if (s.x.length !== s.y.length) {
      throw new FedquantError("E_DIM", `lineChartSvg: series "${s.label}" has ${s.x.length} x values and ${s.y.length} y values`);
    }
  }
  checkPixels("lineChartSvg", "width", spec.width);
  checkPixels("lineChartSvg", "height", spec.height);
}

/** The finite band points of every series that has one, thinned to about 2 per pixel column. */
function collectBands(spec: LineChartSpec, width: number): BandRow[] {
  const out: BandRow[] = [];
  for (const s of spec.series) {
    const b = s.band;
    if (!b) continue;
    if (b.lo.length !== s.x.length || b.hi.length !== s.x.length) throw new FedquantError("E_DIM", `lineChartSvg: series "${s.label}" has ${s.x.length} x values and a band of ${b.lo.length} / ${b.hi.length}`);
    const stride = Math.max(1, Math.floor(s.x.length / (2 * width)));
    for (let i = 0; i < s.x.length; i += stride) {
      const x = Number(s.x[i]), lo = Number(b.lo[i]), hi = Number(b.hi[i]);
      if (Number.isFinite(x) && Number.isFinite(lo) && Number.isFinite(hi) && !(spec.logX && x <= 0) && !(spec.logY && lo <= 0)) out.push({ s: s.label, x, lo, hi });
    }
  }
  return out;
}

/** Keeps the plottable points; says in footnotes what was dropped and why. */
function collectPoints(spec: LineChartSpec, width: number): { rows: Row[]; notes: string[]; markers: Marker[] } {
  const rows: Row[] = [];
  const markers: Marker[] = [];
  const nonFinite: [string, number][] = [];
  const nonPositiveX: [string, number][] = [];
  const nonPositiveY: [string, number][] = [];
  const empty: string[] = [];
  for (const s of spec.series) {
    let bad = 0;
    let negX = 0;
    let negY = 0;
    const kept: Row[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = Number(s.x[i]);
      const y = Number(s.y[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) bad++;
      else if (spec.logX && x <= 0) negX++;
      else if (spec.logY && y <= 0) negY++;
      else {
        kept.push({ s: s.label, x, y, i });
      }
    }
    if (bad > 0) nonFinite.push([s.label, bad]);
    if (negX > 0) nonPositiveX.push([s.label, negX]);
    if (negY > 0) nonPositiveY.push([s.label, negY]);
    if (kept.length === 0) empty.push(s.label);
    else if (s.endMarker) { const last = kept[kept.length - 1]!; markers.push({ s: s.label, x: last.x, y: last.y, text: s.endMarker }); }
    for (const r of m4(kept, width, spec.logX ?? false)) rows.push(r);
  }
  if (rows.length === 0) {
    throw new FedquantError("E_INPUT", `lineChartSvg "${spec.title}": no plottable point (non-finite values${spec.logX || spec.logY ? " or values ≤ 0 on a log axis" : ""})`);
  }
  const notes: string[] = [];
  if (nonFinite.length > 0) notes.push(`Not plotted: ${droppedSummary(nonFinite)} non-finite.`);
  if (nonPositiveX.length > 0) notes.push(`Not plotted: ${droppedSummary(nonPositiveX)} with x ≤ 0 on the log x axis.`);
  if (nonPositiveY.length > 0) notes.push(`Not plotted: ${droppedSummary(nonPositiveY)} with y ≤ 0 on the log y axis.`);
  if (empty.length > 0) notes.push(`No plottable point in: ${empty.join(", ")}.`);
  return { rows, notes, markers };
}

