// One self-contained HTML page per experiment: figures inlined as SVG, tables, and the exact config.
import { FedquantError } from "../errors.js";
import { escapeXml as esc } from "./escape.js";
import { formatNumber } from "./format.js";
import { jsonReplacer } from "./results.js";
import { checkTable, type Table } from "./table.js";

export interface HtmlSection {
  heading: string;
  /** An SVG from the chart functions; inlined as markup, so it must come from trusted code. */
  svg?: string;
  table?: Table;
  /** Plain text; blank lines separate paragraphs. Never interpreted as HTML. */
  text?: string;
}

export interface HtmlReportSpec {
  title: string;
  intro?: string;
  /** The configuration that produced the results, shown as pretty JSON. */
  config: unknown;
  sections: HtmlSection[];
  footer?: string;
  /** Files written next to the page (results JSON/CSV, SVG figures): linked by their base name,
   * so the page works wherever the folder is moved. */
  files?: string[];
  /** Significant digits of numbers in tables (default 4). */
  digits?: number;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;max-width:1000px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
nav ul{padding-left:1.2rem;margin:.3rem 0}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
.table-wrap{overflow-x:auto;margin:1rem 0}table{border-collapse:collapse;font-size:13px}th,td{padding:.25rem .6rem;border-bottom:1px solid #e4e4e4}
th{text-align:left;background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.s{white-space:nowrap}
pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:12px;border-radius:4px}
footer{margin-top:3rem;color:#666;font-size:13px;border-top:1px solid #ddd;padding-top:.6rem}`.trim();

export function htmlReport(report: HtmlReportSpec): string {
  if (!report || typeof report.title !== "string") throw new FedquantError("E_CONFIG", "htmlReport: a title string is required");
  if (!Array.isArray(report.sections)) throw new FedquantError("E_CONFIG", "htmlReport: sections must be an array");
  const digits = report.digits ?? 4;
  const body: string[] = [`<h1>${esc(report.title)}</h1>`];
  if (report.intro) body.push(paragraphs(report.intro));
  if (report.files && report.files.length > 0) body.push(fileLinks(report.files));
  if (report.sections.length > 2) {
    body.push(`<nav><ul>${report.sections.map((s, i) => `<li><a href="#s${i + 1}">${esc(s.heading)}</a></li>`).join("")}</ul></nav>`);
  }
  report.sections.forEach((s, i) => {
    if (typeof s.heading !== "string") throw new FedquantError("E_CONFIG", `htmlReport: section ${i} needs a heading string`);
    body.push(`<section id="s${i + 1}"><h2>${esc(s.heading)}</h2>`);
    if (s.text) body.push(paragraphs(s.text));
    if (s.svg !== undefined) body.push(`<figure>${checkSvg(s.svg, s.heading)}</figure>`);
    if (s.table) body.push(htmlTable(s.table, digits, s.heading));
    body.push("</section>");
  });
  body.push(`<section id="config"><h2>Configuration</h2><pre>${esc(configJson(report.config))}</pre></section>`);
  if (report.footer) body.push(`<footer>${esc(report.footer)}</footer>`);
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(report.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head><body>",
    ...body,
    "</body></html>",
    "",
  ].join("\n");
}

function fileLinks(files: string[]): string {
  const names = files.map((f) => {
    if (typeof f !== "string") throw new FedquantError("E_CONFIG", `htmlReport: files must be strings (paths), found ${typeof f}`);
    return f.split(/[\\/]/).pop()!;
  });
  // encodeURIComponent: a name with spaces or '#' still links to itself
  return `<p class="files">Files: ${names.map((n) => `<a href="${esc(encodeURIComponent(n))}">${esc(n)}</a>`).join(" · ")}</p>`;
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${esc(p.trim())}</p>`)
    .join("\n");
}

// The SVG is inlined as markup (that is the point of a self-contained page), so refuse what
// would run code: script and foreignObject elements, on… event-handler attributes and
// javascript: URLs. The chart functions never emit any of them.
// (attributes are matched inside tags only: a label such as "online = 5" is text, not code)
const ACTIVE_SVG = /<script|<foreignobject|<[^>]*\son[a-z]+\s*=|<[^>]*javascript\s*:/i;

function checkSvg(svg: string, heading: string): string {
  if (typeof svg !== "string" || !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) {
    throw new FedquantError("E_INPUT", `htmlReport: section "${heading}": svg must be an SVG document starting with <svg`);
  }
  const active = ACTIVE_SVG.exec(svg);
  if (active) {
    throw new FedquantError("E_INPUT", `htmlReport: section "${heading}": svg contains active content at character ${active.index} (scripts, event handlers and javascript: URLs are refused)`);
  }
  return svg.replace(/^\s*<\?xml[^>]*>\s*/, "");
}

function htmlTable(table: Table, digits: number, heading: string): string {
  checkTable(table, `htmlReport: section "${heading}" table`);
  const head = `<tr>${table.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
  const rows = table.rows.map(
    // short text cells ("13.1 Mbit", "diverged at k = 57") stay on one line too; long ones wrap
    (row) => `<tr>${row.map((c) => (typeof c === "number" ? `<td class="n">${esc(formatNumber(c, digits))}</td>` : c.length <= 24 ? `<td class="s">${esc(c)}</td>` : `<td>${esc(c)}</td>`)).join("")}</tr>`,
  );
  // numbers never wrap (td.n), so a wide table scrolls sideways inside its box instead of breaking them
  return `<div class="table-wrap"><table><thead>${head}</thead><tbody>\n${rows.join("\n")}\n</tbody></table></div>`;
}

function configJson(config: unknown): string {
  if (config === undefined) return "(none)";
  try {
    return JSON.stringify(config, jsonReplacer, 2) ?? "(none)";
  } catch (err) {
    throw new FedquantError("E_INPUT", `htmlReport: config is not serializable to JSON: ${(err as Error).message}`, { cause: err });
  }
}
