// What the demo bundle reaches must run in a browser: following every static import from the
// page's and the worker's entry points, no module imports node:*, the `ws` package or a
// *-node.ts file (DESIGN.md: "no Node-only import in code the browser bundle reaches").
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?<!typeof\s)import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

/**
 * Every module reachable from `entry` by imports with a literal specifier (type-level
 * `typeof import("…")` and `: import("…").Type` excluded: they emit nothing): file → its bare
 * (non-relative) imports.
 */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [resolve(entry)];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const bare: string[] = [];
    seen.set(file, bare);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      // `x: import("m").Name` is a type annotation (a type-level import, it emits nothing), not a call
      if (m[2] !== undefined && /:\s*$/.test(text.slice(Math.max(0, m.index! - 8), m.index)) && /^\.[A-Z]/.test(text.slice(m.index! + m[0].length))) continue;
      if (!spec.startsWith(".")) { bare.push(spec); continue; }
      const base = resolve(dirname(file), spec);
      const ts = [base.replace(/\.js$/, ".ts"), base].find((f) => existsSync(f) && /\.(ts|js|css)$/.test(f));
      if (ts && ts.endsWith(".ts")) todo.push(ts);
    }
  }
  return seen;
}

describe("browser safety of the demo bundle and of the package's browser entry", () => {
  // src/index.ts is the package's browser entry ("fedquant"); dynamic imports count too: bundlers
  // follow them, which is how the report writers once pulled node:fs into every browser build
  it.each(["demo/src/main.ts", "demo/src/worker.ts", "src/index.ts"])("reaches no Node-only module from %s", (entry) => {
    const graph = reach(entry);
    expect(graph.size).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const [file, bare] of graph) {
      const rel = relative(process.cwd(), file);
      if (/-node\.ts$/.test(rel)) offenders.push(rel);
      for (const b of bare) if (b.startsWith("node:") || b === "ws" || b === "fs" || b === "path") offenders.push(`${rel} imports ${b}`);
    }
    expect(offenders).toEqual([]);
  });
});
