// vega and vega-lite are loaded only when a chart is rendered (issue #9 item 5): no static
// import chain from the package entries (the library, its Node entry, the CLI) reaches them, and
// rendering a chart still works through the dynamic import in src/report/render.ts.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/render.js";

/** Bare specifiers reached from `entry` through value imports/exports (`import type` skipped). */
function staticReach(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>(), bare = new Map<string, string>(), todo = [resolve(entry)];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const src = readFileSync(f, "utf8");
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
      if (m[1]) continue;
      const spec = m[2]!;
      if (!spec.startsWith(".")) { if (!bare.has(spec)) bare.set(spec, f); continue; }
      const ts = resolve(dirname(f), spec).replace(/\.js$/, ".ts");
      if (existsSync(ts)) todo.push(ts);
    }
  }
  return { files, bare };
}

describe("vega is loaded lazily", () => {
  it.each(["src/index.ts", "src/node.ts", "src/cli/main.ts"])("no static import from %s reaches vega or vega-lite", (entry) => {
    const { files, bare } = staticReach(entry);
    expect(files.size).toBeGreaterThan(5); // the walk did follow the imports
    expect([...bare.keys()].filter((s) => /^vega(-lite)?$/.test(s)).map((s) => `${s} from ${bare.get(s)}`)).toEqual([]);
  });

  it("the walk sees a static import where there is one", () => {
    expect(staticReach("src/report/render.ts").bare.has("vega")).toBe(false);
    expect(staticReach("test/report/lazy-vega.test.ts").bare.has("vitest")).toBe(true);
  });

  it("renders a chart through the dynamic import", async () => {
    const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: "line", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } }, []);
    expect(svg).toMatch(/^<svg /);
  });
});
