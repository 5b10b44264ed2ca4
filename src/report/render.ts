// vega-lite spec → vega → standalone SVG string, headless (renderer "none": no canvas, no DOM),
// then the footnote lines appended under the chart. vega and vega-lite (≈ 2 MB of JS to parse)
// are imported when the first chart is rendered, not when fedquant is (issue #9 item 5).
import type { View } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { FedquantError } from "../errors.js";
import { escapeXml } from "./escape.js";
import { textWidth, useHelveticaMetrics } from "./text-width.js";

/** The look shared by every fedquant chart (white background so SVGs read well in any viewer). */
export const baseConfig = {
  background: "white",
  // headless text widths are estimates; real fonts run wider, so leave room right of the legend
  padding: { left: 5, top: 5, bottom: 5, right: 60 },
  font: "Helvetica, Arial, sans-serif",
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#555", anchor: "start", offset: 8 },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: "normal", gridColor: "#e6e6e6" },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 280, symbolSize: 300 },
  view: { stroke: "#bbb" },
} as const;

const FOOT_FONT = 10;
const FOOT_LINE = 13;
const TITLE_FONT = 14;
const SUBTITLE_FONT = 11;

export async function renderSvg(spec: TopLevelSpec, footnotes: string[]): Promise<string> {
  let view: View | undefined;
  try {
    // one destructured `await import()` each: the form webpack 5 tree-shakes (it keeps only the
    // named exports), so vega's file loaders (node:fs) stay out of browser bundles as before
    // textMetrics (vega-scenegraph's, re-exported by vega at run time) is missing from vega's types
    const { parse, View, textMetrics } = await import("vega") as unknown as typeof import("vega") & { textMetrics?: unknown };
    useHelveticaMetrics({ textMetrics });
    const { compile } = await import("vega-lite");
    const vegaSpec = compile(wrapTitle(spec)).spec;
    view = new View(parse(vegaSpec), { renderer: "none" });
    const svg = await view.toSVG();
    return appendFootnotes(scopeIds(svg), footnotes);
  } catch (err) {
    if (err instanceof FedquantError) throw err;
    throw new FedquantError("E_INPUT", `chart rendering failed: ${(err as Error).message}`, { cause: err });
  } finally {
    view?.finalize();
  }
}

/**
 * vega numbers clip-path ids with a process-wide counter ("clip22"), so two charts inlined in one
 * HTML page can clash, and the same chart comes out different depending on what was drawn before.
 * Renumber ids in order of appearance and prefix them with a hash of the result: deterministic,
 * and distinct across different charts.
 */
export function scopeIds(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `c${ids.size}`);
  if (ids.size === 0) return svg;
  const rename = (text: string, f: (id: string) => string) =>
    text.replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${f(id)}"`).replace(/url\(#([^)]+)\)/g, (m0, id: string) => (ids.has(id) ? `url(#${f(id)})` : m0));
  const normal = rename(svg, (id) => ids.get(id) ?? id);
  const prefix = `fq${fnv1a(normal)}-`;
  return rename(svg, (id) => (ids.has(id) ? prefix + ids.get(id)! : id));
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * Grows the SVG canvas by the footnote lines and writes them at the bottom left. Done on the SVG
 * text because vega-lite has one title slot and no caption, and a text mark would be placed
 * relative to the plot area, colliding with axis titles of unknown height.
 */
export function appendFootnotes(svg: string, footnotes: string[]): string {
  const lines = footnotes.filter((s) => s.trim() !== "");
  if (lines.length === 0) return svg;
  const head = /^<svg [^>]*?width="([\d.]+)" height="([\d.]+)" viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!head) throw new FedquantError("E_STATE", "chart rendering: vega produced an SVG header this module does not recognise");
  const width = Number(head[1]);
  const height = Number(head[2]);
  const wrapped = lines.flatMap((line) => wrap(line, Math.max(200, width - 10), FOOT_FONT));
  const extra = wrapped.length * FOOT_LINE + 6;
  const newHeight = height + extra;
  let out = svg.replace(head[0], head[0]
    .replace(`height="${head[2]}"`, `height="${newHeight}"`)
    .replace(`viewBox="0 0 ${head[3]} ${head[4]}"`, `viewBox="0 0 ${head[3]} ${newHeight}"`));
  const text = wrapped
    .map((line, i) => `<text x="5" y="${height + (i + 1) * FOOT_LINE}" font-family="${baseConfig.font}" font-size="${FOOT_FONT}px" fill="#555">${escapeXml(line)}</text>`)
    .join("");
  const background = `<rect y="${height}" width="${width}" height="${extra}" fill="white"/>`;
  out = out.replace(/<\/svg>\s*$/, `<g class="fedquant-footnote">${background}${text}</g></svg>`);
  return out;
}

/** Splits `line` at spaces into lines at most `maxPx` wide in Helvetica at `fontSize` px. */
export function wrap(line: string, maxPx: number, fontSize: number, bold = false): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(/\s+/)) {
    const next = current === "" ? word : `${current} ${word}`;
    if (current !== "" && textWidth(next, fontSize, bold) > maxPx) {
      out.push(current);
      current = word;
    } else {
      current = next;
    }
  }
  if (current !== "") out.push(current);
  return out;
}

/**
 * A title or subtitle wider than the plot is broken into lines no wider than it: vega draws a title
 * on one line whatever its length, and the SVG grows to fit it (a figure then shown scaled down
 * to fit a page has unreadably small text).
 */
function wrapTitle(spec: TopLevelSpec): TopLevelSpec {
  const s = spec as { width?: unknown; title?: unknown };
  if (typeof s.width !== "number" || s.title === undefined) return spec;
  const max = s.width;
  const lines = (t: unknown, size: number, bold: boolean) => (typeof t === "string" && textWidth(t, size, bold) > max ? wrap(t, max, size, bold) : t);
  const title = typeof s.title === "string" ? { text: s.title } : s.title as { text?: unknown; subtitle?: unknown };
  return { ...spec, title: { ...title, text: lines(title.text, TITLE_FONT, true), ...(title.subtitle !== undefined ? { subtitle: lines(title.subtitle, SUBTITLE_FONT, false) } : {}) } } as TopLevelSpec;
}
