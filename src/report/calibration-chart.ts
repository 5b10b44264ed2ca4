// Reliability diagram (accuracy against confidence per bin, with the diagonal of perfect calibration)
// for the Bayesian neural-net experiment; each series' expected calibration error goes in its label.
import type { TopLevelSpec } from "vega-lite";
import { FedquantError } from "../errors.js";
import { checkPixels, checkTitle } from "./chart-checks.js";
import { MAX_SERIES, seriesColor } from "./palette.js";
import { baseConfig, renderSvg } from "./render.js";

export interface CalibrationBin {
  /** Mean predicted confidence of the predictions in the bin, in [0, 1]. */
  confidence: number;
  /** Fraction of those predictions that were right, in [0, 1]. */
  accuracy: number;
  /** Number of predictions in the bin; empty bins are not drawn. */
  count: number;
}

export interface CalibrationSeries {
  label: string;
  bins: CalibrationBin[];
}

export interface CalibrationChartSpec {
  title: string;
  subtitle?: string;
  series: CalibrationSeries[];
  /** Append "(ECE 0.031)" to each legend label; default true. */
  showEce?: boolean;
  /** Side of the square plot in pixels (default 360). */
  size?: number;
  footnote?: string;
}

/** Expected calibration error from bins: Σ_b (n_b / n) |accuracy_b − confidence_b|. */
export function expectedCalibrationError(bins: CalibrationBin[]): number {
  let n = 0;
  let sum = 0;
  for (const b of bins) {
    n += b.count;
    sum += b.count * Math.abs(b.accuracy - b.confidence);
  }
  return n > 0 ? sum / n : NaN;
}

export async function calibrationChartSvg(spec: CalibrationChartSpec): Promise<string> {
  checkCalibration(spec);
  const showEce = spec.showEce ?? true;
  const labels = spec.series.map((s) => (showEce ? `${s.label} (ECE ${expectedCalibrationError(s.bins).toFixed(3)})` : s.label));
  const rows = spec.series.flatMap((s, k) =>
    s.bins
      .filter((b) => b.count > 0)
      .map((b) => ({ s: labels[k]!, c: b.confidence, a: b.accuracy, n: b.count }))
      .sort((p, q) => p.c - q.c),
  );
  if (rows.length === 0) throw new FedquantError("E_INPUT", `calibrationChartSvg "${spec.title}": every bin is empty`);
  const color = { field: "s", type: "nominal", title: null, scale: { domain: labels, range: labels.map((_, i) => seriesColor(i)) } };
  const x = { field: "c", type: "quantitative", title: "confidence", scale: { domain: [0, 1] } };
  const y = { field: "a", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] } };
  const size = spec.size ?? 360;
  const vl = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: spec.subtitle ? { text: spec.title, subtitle: spec.subtitle } : { text: spec.title },
    width: size,
    height: size,
    layer: [
      {
        data: { values: [{ c: 0, a: 0 }, { c: 1, a: 1 }] },
        mark: { type: "line", color: "#999", strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x, y },
      },
      {
        data: { values: rows },
        mark: { type: "line", strokeWidth: 1.5, point: false },
        encoding: { x, y, color, order: { field: "c", type: "quantitative" } },
      },
      {
        data: { values: rows },
        mark: { type: "circle", opacity: 0.85 },
        encoding: {
          x, y, color,
          // Area ∝ bin count, so sparse bins (noisy accuracy) are visibly small.
          size: { field: "n", type: "quantitative", title: "predictions in bin", scale: { range: [12, 220], zero: true } },
        },
      },
    ],
    config: baseConfig,
  } as unknown as TopLevelSpec;
  return renderSvg(vl, ["Dashed: perfect calibration. Point area ∝ predictions in the bin.", spec.footnote ?? ""]);
}

function checkCalibration(spec: CalibrationChartSpec): void {
  checkTitle("calibrationChartSvg", spec?.title);
  checkPixels("calibrationChartSvg", "size", spec.size);
  if (!Array.isArray(spec.series) || spec.series.length === 0) throw new FedquantError("E_CONFIG", "calibrationChartSvg: expected at least one series");
  if (spec.series.length > MAX_SERIES) throw new FedquantError("E_CONFIG", `calibrationChartSvg: at most ${MAX_SERIES} series, found ${spec.series.length}`);
  if (new Set(spec.series.map((s) => s.label)).size !== spec.series.length) {
    throw new FedquantError("E_CONFIG", "calibrationChartSvg: series labels must be distinct");
  }
  for (const s of spec.series) {
    if (!Array.isArray(s.bins)) throw new FedquantError("E_CONFIG", `calibrationChartSvg: series "${s.label}" needs a bins array`);
    s.bins.forEach((b, i) => {
      const where = `calibrationChartSvg: series "${s.label}", bin ${i}`;
      if (!(b.count >= 0) || !Number.isFinite(b.count)) throw new FedquantError("E_INPUT", `${where}: count must be a finite number ≥ 0, found ${b.count}`);
      if (b.count === 0) return; // an empty bin has no accuracy to check
      for (const key of ["confidence", "accuracy"] as const) {
        if (!(b[key] >= 0 && b[key] <= 1)) throw new FedquantError("E_INPUT", `${where}: ${key} must be in [0, 1], found ${b[key]}`);
      }
    });
  }
}
