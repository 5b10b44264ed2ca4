// The chart API: standalone SVG strings rendered headless in Node (vega-lite → vega, no canvas).
export { lineChartSvg } from "./line-chart.js";
export type { LineChartSpec, LineSeries } from "./line-chart.js";
export { barChartSvg } from "./bar-chart.js";
export type { BarChartSpec, Bar } from "./bar-chart.js";
export { calibrationChartSvg, expectedCalibrationError } from "./calibration-chart.js";
export type { CalibrationChartSpec, CalibrationSeries, CalibrationBin } from "./calibration-chart.js";
export { chartFootnote } from "./notes.js";
export type { FootnoteInfo } from "./notes.js";
