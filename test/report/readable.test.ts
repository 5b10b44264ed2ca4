// Report figures are sized so their text is readable where they are shown (issue #14 polish: E2's
// SVGs were 1879 px wide, so the report page scaled them to ~5 px text): text widths are measured
// with Helvetica's metrics instead of vega's 0.8 em per character, and long titles wrap.
import { describe, expect, it } from "vitest";
import { lineChartSvg } from "../../src/report/index.js";
import { textWidth } from "../../src/report/text-width.js";

const svgWidth = (svg: string) => Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
const unescape = (s: string) => s.replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));
/** The lines of the chart's title (vega writes a multi-line title as <tspan>s). */
const titleLines = (svg: string) => {
  const block = /aria-roledescription="title"[^>]*><text[^>]*>(.*?)<\/text>/.exec(svg)![1]!;
  const spans = [...block.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => unescape(m[1]!));
  return spans.length ? spans : [unescape(block)];
};

describe("text widths", () => {
  it("add Helvetica's advance widths (1/1000 em): 'Hello' = 722 + 556 + 222 + 222 + 556 at 10 px", () => {
    expect(textWidth("Hello", 10)).toBeCloseTo(22.78, 10);
    expect(textWidth("", 14)).toBe(0);
    // bold runs wider, and the estimate scales with the font size
    expect(textWidth("Hello", 10, true)).toBeGreaterThan(textWidth("Hello", 10));
    expect(textWidth("Hello", 20)).toBeCloseTo(2 * textWidth("Hello", 10), 10);
  });
});

describe("figure size", () => {
  // the report page is 1000 px wide less 2 rem of padding: a figure up to 968 px is shown unscaled,
  // so its 10 px labels stay 10 px
  const PAGE = 968;
  const longTitle = "main-heterogeneous-logistic-with-a-long-name: synthetic heterogeneous logistic regression (the Artemis authors' generator, w = (10, 10), shared features; d = 2, 20 workers × 200)";
  const labels = ["SGD (uncompressed)", "DoStoVoQ-VR-DIANA (γ = 1/(2L), α = 1/(2(ω+1)))", "Artemis with partial participation p = 0.5", "MCM"];

  it("a chart with a 170-character title and long legend labels fits the report page, title wrapped onto several lines", async () => {
    const svg = await lineChartSvg({
      title: longTitle, subtitle: "excess loss against communicated bits (up + down)", xLabel: "bits", yLabel: "F − F*", logX: true, logY: true,
      series: labels.map((label, i) => ({ label, x: [1e3, 1e5, 1e7], y: [1, 10 ** -(i + 1), 10 ** -(2 * i + 2)] })),
      footnote: "seed 1 · N=20, d=2, K=300, batch=full, p=1 · fedquant 0.1.0",
    });
    expect(svgWidth(svg)).toBeLessThanOrEqual(PAGE);
    // the title is cut at spaces into lines, and nothing of it is lost
    expect(titleLines(svg).length).toBeGreaterThan(1);
    expect(titleLines(svg).join(" ")).toBe(longTitle);
    const t = texts(svg);
    for (const l of labels) expect(t.join("\n")).toContain(l.slice(0, 12));
  });

  it("a short title is left on one line", async () => {
    const svg = await lineChartSvg({ title: "E3: phishing", xLabel: "k", yLabel: "F − F*", series: [{ label: "a", x: [0, 1], y: [1, 2] }] });
    expect(titleLines(svg)).toEqual(["E3: phishing"]);
    expect(svgWidth(svg)).toBeLessThanOrEqual(PAGE);
  });
});
