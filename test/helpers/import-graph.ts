// Static import graph of a TypeScript source: every bare or node:* specifier reachable through
// relative imports. Browser entries must reach no node:* module (DESIGN.md "Conventions").
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function importGraph(file: string, seen = new Set<string>(), specifiers = new Set<string>()): Set<string> {
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

export const NODE_ONLY = (s: string) => s.startsWith("node:") || ["fs", "path", "module", "readline", "ws", "os", "crypto"].includes(s);
