// M4 decimation keeps what a line plot shows: endpoints and each pixel column's extremes.
import { describe, expect, it } from "vitest";
import { m4 } from "../../src/report/decimate.js";
import { lineChartSvg } from "../../src/report/index.js";

const noisy = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i + 1, y: Math.sin(i * 1.7) + i / n }));

describe("m4", () => {
  it("leaves short series alone", () => {
    const pts = noisy(100);
    expect(m4(pts, 50, false)).toBe(pts);
  });

  it("keeps at most 4 points per column, the endpoints, and every column's min and max", () => {
    const pts = noisy(100_000);
    const out = m4(pts, 500, false);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out[0]).toBe(pts[0]);
    expect(out[out.length - 1]).toBe(pts[pts.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
    // Column 123 spans x in [123·200, 124·200) + 1: its extremes must survive.
    const col = pts.filter((p) => Math.floor(((p.x - 1) / (pts.length - 1)) * 500) === 123);
    const ys = col.map((p) => p.y);
    const kept = out.filter((p) => col.includes(p)).map((p) => p.y);
    expect(Math.min(...kept)).toBe(Math.min(...ys));
    expect(Math.max(...kept)).toBe(Math.max(...ys));
  });

  it("does not reorder a series whose x goes back", () => {
    const pts = [...noisy(3000), { x: 0.5, y: 0 }];
    expect(m4(pts, 10, false)).toBe(pts);
  });

  it("keeps the SVG of a 50,000-iteration trace small", async () => {
    const pts = noisy(50_000);
    const svg = await lineChartSvg({ title: "t", xLabel: "k", yLabel: "y", series: [{ label: "a", x: pts.map((p) => p.x), y: pts.map((p) => p.y) }] });
    expect(svg.length).toBeLessThan(150_000);
  });
});
