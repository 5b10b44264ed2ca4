// The HTML report is one self-contained page and never lets text become markup.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlReport, lineChartSvg, type HtmlReportSpec } from "../../src/report/index.js";
import { writeHtmlReport } from "../../src/report/node.js";
import { HTML_VOID, xmlProblems } from "./xml-check.js";

const evil = "<script>alert(1)</script>";

describe("htmlReport", () => {
  it("escapes <script> in the title, intro, headings, text, tables, config and footer", () => {
    const html = htmlReport({
      title: evil,
      intro: evil,
      config: { name: evil, nested: { s: "</pre>" + evil } },
      sections: [{ heading: evil, text: evil, table: { columns: [evil], rows: [[evil]] } }],
      footer: evil,
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("</pre><script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(xmlProblems(html, HTML_VOID)).toEqual([]);
  });

  it("inlines the chart SVG, shows the config as pretty JSON and numbers right-aligned", async () => {
    const svg = await lineChartSvg({ title: "Loss", xLabel: "k", yLabel: "F", series: [{ label: "SGD", x: [0, 1, 2], y: [3, 2, 1] }] });
    const spec: HtmlReportSpec = {
      title: "E3",
      config: { workers: 20, gamma: Infinity },
      sections: [{ heading: "Loss", svg, table: { columns: ["method", "loss"], rows: [["SGD", 0.0000123456]] } }],
    };
    const html = htmlReport(spec);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<figure><svg");
    expect(html).toContain('{\n  &quot;workers&quot;: 20,\n  &quot;gamma&quot;: &quot;Infinity&quot;\n}');
    expect(html).toContain('<td class="n">1.235e-5</td>');
    expect(html).not.toMatch(/<link|<script|src="http/); // nothing fetched: the page is self-contained
    expect(xmlProblems(html, HTML_VOID)).toEqual([]);
  });

  it("links the files written next to it by base name (URL-encoded), and keeps table numbers on one line", () => {
    const html = htmlReport({
      title: "t", config: {}, files: ["/out/run/r.json", "C:\\out\\r.csv", "/out/excess vs bits#1.svg"],
      sections: [{ heading: "S", table: { columns: ["a", "b"], rows: [[1.2345e-7, "13.1 Mbit"], [1, "a long explanation that may wrap over lines"]] } }],
    });
    expect(html).toContain('<a href="r.json">r.json</a>');
    expect(html).toContain('<a href="r.csv">r.csv</a>');
    expect(html).toContain('<a href="excess%20vs%20bits%231.svg">excess vs bits#1.svg</a>');
    expect(html).not.toContain("/out/");
    expect(html).toContain('<td class="s">13.1 Mbit</td>');
    expect(html).toContain("<td>a long explanation that may wrap over lines</td>");
    // "1.235e-7" must not break at the "-" inside a narrow column
    expect(html).toMatch(/td\.n\{[^}]*white-space:nowrap/);
    // and a table wider than the page scrolls in its own box rather than squeezing its columns
    expect(html).toMatch(/\.table-wrap\{overflow-x:auto/);
    expect(html).toMatch(/td\.s\{white-space:nowrap\}/);
    expect(html).toContain('<div class="table-wrap"><table>');
    expect(xmlProblems(html, HTML_VOID)).toEqual([]);
  });

  it("refuses an svg section that carries a script", () => {
    expect(() => htmlReport({ title: "t", config: {}, sections: [{ heading: "h", svg: `<svg>${evil}</svg>` }] })).toThrow(
      expect.objectContaining({ code: "E_INPUT" }),
    );
  });

  it.each([
    ["an onload handler", '<svg onload="alert(1)"><rect/></svg>'],
    ["an onclick handler on a child", '<svg><rect  onClick = "alert(1)"/></svg>'],
    ["a javascript: link", '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>'],
  ])("refuses an svg section with %s (code without a <script> element)", (_what, svg) => {
    expect(() => htmlReport({ title: "t", config: {}, sections: [{ heading: "h", svg }] })).toThrow(
      expect.objectContaining({ code: "E_INPUT", message: expect.stringMatching(/event handlers and javascript: URLs are refused/) }),
    );
  });

  it("accepts an svg whose text merely reads like an attribute (\"online = 5\", \"javascript: no\")", () => {
    const svg = "<svg><text>clients online = 5, javascript: no</text></svg>";
    expect(htmlReport({ title: "t", config: {}, sections: [{ heading: "h", svg }] })).toContain(svg);
  });

  it("refuses a config that cannot be shown as JSON", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => htmlReport({ title: "t", config: cyclic, sections: [] })).toThrow(expect.objectContaining({ code: "E_INPUT" }));
  });

  it("writeHtmlReport writes the page into a new directory and returns its path", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "fedquant-html-")), "out");
    const path = await writeHtmlReport(dir, "report.html", { title: "E1", config: null, sections: [] });
    expect(path).toBe(join(dir, "report.html"));
    expect(readFileSync(path, "utf8")).toContain("<title>E1</title>");
  });
});
