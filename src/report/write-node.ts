// Node-only: the report's file writers (results JSON + CSV, SVG figures, the HTML page). They live
// off the browser entry ("fedquant" → src/index.ts) so that no bundler ever sees node:fs; Node code
// gets them from "fedquant/node".
import { FedquantError } from "../errors.js";
import { checkFileName } from "./filename.js";
import { writeTextFiles } from "./files-node.js";
import { htmlReport, type HtmlReportSpec } from "./html.js";
import { toCsv, toResultsJson, type ResultsData } from "./results.js";

/** Writes `<dir>/<name>.json` and `<dir>/<name>.csv`, creating `dir`; returns both paths. */
export async function writeResults(dir: string, name: string, data: ResultsData): Promise<{ json: string; csv: string }> {
  checkFileName(name, "writeResults");
  const json = toResultsJson(data);
  const csv = toCsv(data);
  const [jsonPath, csvPath] = await writeTextFiles(dir, [
    { name: `${name}.json`, content: json },
    { name: `${name}.csv`, content: csv },
  ]);
  return { json: jsonPath!, csv: csvPath! };
}

/** Writes an SVG figure to `<dir>/<file>` (file given with its extension); returns the path. */
export async function writeSvg(dir: string, file: string, svg: string): Promise<string> {
  checkFileName(file, "writeSvg");
  if (typeof svg !== "string" || !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) {
    throw new FedquantError("E_INPUT", `writeSvg: expected an SVG document starting with <svg, found ${String(svg).slice(0, 40)}`);
  }
  const [path] = await writeTextFiles(dir, [{ name: file, content: svg }]);
  return path!;
}

/** Writes the report (a spec, or HTML already built) to `<dir>/<file>`, creating `dir`; returns the path. */
export async function writeHtmlReport(dir: string, file: string, report: HtmlReportSpec | string): Promise<string> {
  checkFileName(file, "writeHtmlReport");
  const html = typeof report === "string" ? report : htmlReport(report);
  const [path] = await writeTextFiles(dir, [{ name: file, content: html }]);
  return path!;
}
