// Charts render to well-formed standalone SVG with title, one line per series, legend and footnotes.
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import {
  barChartSvg,
  calibrationChartSvg,
  chartFootnote,
  expectedCalibrationError,
  lineChartSvg,
  type LineChartSpec,
} from "../../src/report/index.js";
import { xmlProblems } from "./xml-check.js";

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const lineMarks = (svg: string) => count(svg, /class="mark-line role-mark/g);
const legendEntries = (svg: string) => count(svg, /class="mark-symbol role-legend-symbol/g);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

function decay(label: string, rate: number, n = 50, dashed = false) {
  const x = Array.from({ length: n }, (_, i) => (i + 1) * 256);
  const y = x.map((_, i) => Math.exp(-rate * i));
  return { label, x, y, dashed };
}

async function errorOf(p: Promise<unknown>): Promise<FedquantError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FedquantError);
  return err as FedquantError;
}

describe("lineChartSvg", () => {
  it("renders a standalone, well-formed SVG with the title, one path per series and a legend entry each", async () => {
    const series = Array.from({ length: 12 }, (_, k) => decay(`method ${k}`, 0.02 * (k + 1), 40, k % 2 === 1));
    const svg = await lineChartSvg({ title: "Excess loss, LSR", xLabel: "iteration", yLabel: "F(w) − F*", logY: true, series });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(xmlProblems(svg)).toEqual([]);
    expect(texts(svg)).toContain("Excess loss, LSR");
    expect(lineMarks(svg)).toBe(12);
    expect(legendEntries(svg)).toBe(12);
    // Twelve series, twelve different colours.
    const strokes = new Set([...svg.matchAll(/aria-roledescription="line mark"[^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
    expect(strokes.size).toBe(12);
  });

  it("draws a dashed series dashed, in the plot and in the legend", async () => {
    const svg = await lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", series: [decay("solid", 0.1), decay("dashed", 0.2, 50, true)] });
    expect(count(svg, /stroke-dasharray="6,4"/g)).toBe(2);
  });

  it("escapes markup in titles and labels", async () => {
    const svg = await lineChartSvg({ title: "a <b> & c", xLabel: "<x>", yLabel: "y", series: [decay("<script>alert(1)</script>", 0.1)] });
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(xmlProblems(svg)).toEqual([]);
  });

  it("drops non-finite points and says so in a footnote", async () => {
    const s = decay("QSGD", 0.1, 20);
    s.y[3] = NaN;
    s.y[4] = Infinity;
    const svg = await lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", series: [s, decay("SGD", 0.2, 20)] });
    expect(texts(svg).join(" ")).toContain("Not plotted: 2 points (QSGD: 2) non-finite.");
    expect(svg).not.toMatch(/NaN/);
  });

  it("drops values ≤ 0 on log axes with a footnote, and refuses a chart with nothing left to plot", async () => {
    const s = { label: "DIANA", x: [0, 1, 2, 3], y: [1, 0.1, 0, -1e-3] };
    const svg = await lineChartSvg({ title: "t", xLabel: "bits", yLabel: "y", logX: true, logY: true, series: [s] });
    const notes = texts(svg).join(" ");
    expect(notes).toContain("Not plotted: 1 point (DIANA: 1) with x ≤ 0 on the log x axis.");
    expect(notes).toContain("Not plotted: 2 points (DIANA: 2) with y ≤ 0 on the log y axis.");
    expect(lineMarks(svg)).toBe(1);
    const err = await errorOf(lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", logY: true, series: [{ label: "a", x: [1, 2], y: [0, -1] }] }));
    expect(err.code).toBe("E_INPUT");
  });

  it("labels log-axis decades as powers of ten", async () => {
    const svg = await lineChartSvg({ title: "t", xLabel: "bits", yLabel: "MSE", logX: true, logY: true, series: [{ label: "a", x: [1e2, 1e6], y: [1, 1e-6] }] });
    const labels = texts(svg);
    expect(labels).toContain("10²");
    expect(labels).toContain("10⁶");
    expect(labels).toContain("10⁻⁶");
  });

  it("puts the caller's footnote under the chart, inside the enlarged canvas", async () => {
    const footnote = chartFootnote({ seeds: [1, 2, 3], sizes: { N: 20, d: 20 }, version: "0.1.0" });
    expect(footnote).toBe("seeds 1, 2, 3 · N=20, d=20 · fedquant 0.1.0");
    const svg = await lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", series: [decay("a", 0.1)], footnote });
    const [, h, vbH] = /height="([\d.]+)" viewBox="0 0 [\d.]+ ([\d.]+)"/.exec(svg)!;
    expect(h).toBe(vbH);
    const y = Number(/<text x="5" y="([\d.]+)"[^>]*>seeds 1, 2, 3/.exec(svg)![1]);
    expect(y).toBeLessThanOrEqual(Number(h));
    expect(xmlProblems(svg)).toEqual([]);
  });

  it("is deterministic, and scopes its clip-path ids so charts can share an HTML page", async () => {
    const spec: LineChartSpec = { title: "t", xLabel: "x", yLabel: "y", series: [decay("a", 0.1)] };
    const first = await lineChartSvg(spec);
    await lineChartSvg({ ...spec, title: "something else" }); // advances vega's global id counter
    expect(await lineChartSvg(spec)).toBe(first);
    const other = await lineChartSvg({ ...spec, series: [decay("b", 0.3)] });
    const ids = (svg: string) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids(first).length).toBeGreaterThan(0);
    expect(ids(first).filter((id) => ids(other).includes(id))).toEqual([]);
    for (const m of first.matchAll(/url\(#([^)]+)\)/g)) expect(ids(first)).toContain(m[1]);
  });

  it("accepts typed arrays as series data", async () => {
    const svg = await lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", series: [{ label: "a", x: Float64Array.of(1, 2, 3), y: Float32Array.of(3, 2, 1) }] });
    expect(lineMarks(svg)).toBe(1);
  });

  it("rejects mismatched lengths, duplicate labels, an empty series list and absurd sizes", async () => {
    const base: LineChartSpec = { title: "t", xLabel: "x", yLabel: "y", series: [] };
    expect((await errorOf(lineChartSvg(base))).code).toBe("E_CONFIG");
    expect((await errorOf(lineChartSvg({ ...base, series: [{ label: "a", x: [1, 2], y: [1] }] }))).code).toBe("E_DIM");
    expect((await errorOf(lineChartSvg({ ...base, series: [decay("a", 1), decay("a", 2)] }))).code).toBe("E_CONFIG");
    expect((await errorOf(lineChartSvg({ ...base, series: [decay("a", 1)], width: 5e6 }))).code).toBe("E_CONFIG");
  });

  it("writes an example figure to test-artifacts/report-example.svg", async () => {
    const series = ["SGD", "QSGD", "DIANA", "Artemis", "MCM"].flatMap((name, k) => {
      const x = Array.from({ length: 401 }, (_, i) => i * 2000 * (k + 1));
      const floor = k < 2 ? 1e-2 / (k + 1) : 0;
      return [{ label: name, x, y: x.map((_, i) => Math.exp(-0.03 * i) + floor), dashed: k === 4 }];
    });
    const t0 = performance.now();
    const svg = await lineChartSvg({
      title: "Excess loss against communicated bits",
      subtitle: "synthetic LSR, N = 20 workers, full batch",
      xLabel: "bits (up + down)",
      yLabel: "F(w_k) − F*",
      logX: true,
      logY: true,
      series,
      footnote: chartFootnote({ seeds: 42, sizes: { N: 20, d: 20, iterations: 400 }, version: "0.1.0" }),
    });
    const ms = performance.now() - t0;
    mkdirSync("test-artifacts", { recursive: true });
    writeFileSync("test-artifacts/report-example.svg", svg);
    expect(xmlProblems(svg)).toEqual([]);
    expect(lineMarks(svg)).toBe(5);
    // A generous bound: rendering is ~50–150 ms here; this only catches a pathological slowdown.
    expect(ms).toBeLessThan(5000);
  });
});

describe("barChartSvg", () => {
  const groups = ["sign", "top-2", "StoVoQ"];
  const bars = groups.flatMap((g, i) => [1, 20].map((K) => ({ series: `K = ${K}`, group: g, value: (i + 1) / K, error: 0.05 / K })));

  it("renders one bar per (method, K), a legend entry per K and an error bar per bar", async () => {
    const svg = await barChartSvg({ title: "Distortion", yLabel: "relative distortion", groups, bars });
    expect(xmlProblems(svg)).toEqual([]);
    expect(texts(svg)).toContain("Distortion");
    expect(count(svg, /aria-roledescription="bar"/g)).toBe(6);
    expect(count(svg, /aria-roledescription="rule mark"/g)).toBe(6);
    expect(legendEntries(svg)).toBe(2);
    expect(texts(svg).join(" ")).toContain("± one standard error");
  });

  it("on a log axis draws bars with height and drops values ≤ 0 with a footnote", async () => {
    const withZero = [...bars.slice(1), { series: "K = 1", group: "sign", value: 0 }];
    const svg = await barChartSvg({ title: "Distortion", yLabel: "d", logY: true, groups, bars: withZero });
    expect(count(svg, /aria-roledescription="bar"/g)).toBe(5);
    expect(svg).not.toMatch(/aria-roledescription="bar" d="M[\d.]+,[\d.]+h[\d.]+v0h/);
    expect(texts(svg).join(" ")).toContain("Not plotted: 1 bar (K = 1: 1)");
  });

  it("rejects a bar whose group is not listed", async () => {
    const err = await errorOf(barChartSvg({ title: "t", yLabel: "y", groups, bars: [{ series: "a", group: "nope", value: 1 }] }));
    expect(err.code).toBe("E_CONFIG");
  });
});

describe("calibrationChartSvg", () => {
  const bins = (bias: number) => Array.from({ length: 10 }, (_, i) => ({ confidence: (i + 0.5) / 10, accuracy: Math.max(0, (i + 0.5) / 10 - bias), count: i < 3 ? 0 : 100 }));

  it("draws the diagonal and one curve per series, with the ECE in the legend", async () => {
    const svg = await calibrationChartSvg({ title: "Reliability", series: [{ label: "QLSD++", bins: bins(0.02) }, { label: "SGD", bins: bins(0.2) }] });
    expect(xmlProblems(svg)).toEqual([]);
    expect(lineMarks(svg)).toBe(3); // diagonal + 2 series
    const labels = texts(svg);
    expect(labels).toContain("QLSD++ (ECE 0.020)");
    expect(labels).toContain("SGD (ECE 0.200)");
  });

  it("computes the expected calibration error weighted by bin counts", () => {
    expect(expectedCalibrationError([{ confidence: 0.9, accuracy: 0.6, count: 1 }, { confidence: 0.5, accuracy: 0.5, count: 2 }])).toBeCloseTo(0.1, 12);
  });

  it("rejects an accuracy outside [0, 1]", async () => {
    const err = await errorOf(calibrationChartSvg({ title: "t", series: [{ label: "a", bins: [{ confidence: 0.5, accuracy: 1.5, count: 3 }] }] }));
    expect(err.code).toBe("E_INPUT");
  });
});
