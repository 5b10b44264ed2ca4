// src/data/browser.ts must stay browser-safe: no node:* import anywhere in its import graph.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Every relative import reachable from `file`, and every bare/node specifier seen on the way. */
function importGraph(file: string, seen = new Set<string>(), specifiers = new Set<string>()): Set<string> {
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const src = readFileSync(file, "utf8");
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
    const spec = m[1]!;
    if (spec.startsWith(".")) importGraph(resolve(dirname(file), spec.replace(/\.js$/, ".ts")), seen, specifiers);
    else specifiers.add(spec);
  }
  return specifiers;
}

describe("browser entry of src/data", () => {
  it("reaches no node:* module (those live only in *-node.ts files)", () => {
    const specs = [...importGraph(resolve(import.meta.dirname, "../../src/data/browser.ts"))];
    expect(specs.filter((s) => s.startsWith("node:") || ["fs", "path", "module", "readline"].includes(s))).toEqual([]);
  });
});
