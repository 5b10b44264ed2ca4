// The code in README.md and docs/*.md imports what a package user can import (issue #14 item 8):
// only the package entries ("fedquant", "fedquant/node", "fedquant/tfjs") or other packages, never
// "./src/…" — and every name it imports from an entry is exported by that entry (values and types,
// read by the TypeScript checker from the entry files package.json's "exports" points at).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
// every page, docs/network.md included (it imports transportNode from "fedquant/node")
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

interface Import { file: string; line: number; spec: string; names: string[] }

/** Every import / export-from / dynamic import in the ts/js code blocks of a markdown file. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), "utf8");
  const out: Import[] = [];
  for (const block of text.matchAll(/```(?:ts|typescript|js|javascript|mjs)\n([\s\S]*?)```/g)) {
    const before = text.slice(0, block.index).split("\n").length;
    const src = ts.createSourceFile("block.ts", block[1]!, ts.ScriptTarget.ES2022, true);
    const at = (n: ts.Node) => before + src.getLineAndCharacterOfPosition(n.getStart()).line + 1;
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        const names: string[] = [];
        const bindings = ts.isImportDeclaration(n) ? n.importClause?.namedBindings : n.exportClause;
        if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
          for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
        }
        out.push({ file, line: at(n), spec: n.moduleSpecifier.text, names });
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
        out.push({ file, line: at(n), spec: n.arguments[0].text, names: [] });
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

/** package.json "exports" → the source entry each one is compiled from (dist/x.d.ts ← src/x.ts). */
function entries(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; exports: Record<string, string | { types?: string }> };
  const m = new Map<string, string>();
  for (const [key, v] of Object.entries(pkg.exports)) {
    if (typeof v === "string" || !v.types) continue;
    m.set(key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`, join(root, v.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts")));
  }
  return m;
}

/** The names (values and types) each entry exports, `export *` followed. */
function exportedNames(entryFiles: string[]): Map<string, Set<string>> {
  const program = ts.createProgram(entryFiles, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  for (const f of entryFiles) {
    const sym = checker.getSymbolAtLocation(program.getSourceFile(f)!)!;
    out.set(f, new Set(checker.getExportsOfModule(sym).map((s) => s.getName())));
  }
  return out;
}

const all = files.flatMap(importsOf);
const map = entries();

describe("imports in README.md and docs/*.md code blocks", () => {
  it("finds the code blocks (the check is not vacuous)", () => {
    expect(map.get("fedquant")).toBe(join(root, "src/index.ts"));
    expect(map.get("fedquant/node")).toBe(join(root, "src/node.ts"));
    expect(all.filter((i) => i.spec === "fedquant").length).toBeGreaterThanOrEqual(5);
  });

  it("import nothing by relative path (./src/…): a package user has only the entries", () => {
    const relative = all.filter((i) => i.spec.startsWith(".") || i.spec.startsWith("/"));
    expect(relative.map((i) => `${i.file}:${i.line}: ${i.spec}`)).toEqual([]);
  });

  it("import only entries package.json exports (no deep fedquant/dist/… paths)", () => {
    const own = all.filter((i) => i.spec === "fedquant" || i.spec.startsWith("fedquant/"));
    expect(own.filter((i) => !map.has(i.spec)).map((i) => `${i.file}:${i.line}: ${i.spec}`)).toEqual([]);
  });

  it("import only names the entry exports", () => {
    const exported = exportedNames([...new Set(map.values())]);
    const missing: string[] = [];
    for (const i of all) {
      const entry = map.get(i.spec);
      if (!entry) continue;
      for (const n of i.names) if (!exported.get(entry)!.has(n)) missing.push(`${i.file}:${i.line}: "${n}" is not exported by ${i.spec}`);
    }
    expect(missing).toEqual([]);
  });
});
