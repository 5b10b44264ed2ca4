// Public surface of src/report: charts (SVG), result files (JSON + CSV), console tables, HTML report.
// Works on plain result data only; it imports nothing of the algorithms or the federation.
export * from "./charts.js";
export { toCsv, toResultsJson, formatTable } from "./results.js";
export type { ResultsData, FormatTableOptions } from "./results.js";
export { formatNumber, formatBits } from "./format.js";
export type { Table, Cell } from "./table.js";
export { htmlReport } from "./html.js";
// the file writers (writeResults, writeSvg, writeHtmlReport) are Node-only: "fedquant/node" (./node.ts)
export type { HtmlReportSpec, HtmlSection } from "./html.js";
