// Every `fedquant …` command line shown in README.md and docs/*.md (code blocks and inline code)
// names a subcommand the real program has, every --option it passes is one that subcommand (or the
// program) declares, and every examples/… file it names exists — so a renamed option or config
// breaks this test and not a reader's copy-paste. The program is the one main.ts runs (buildProgram).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../src/cli/program.js";

const root = resolve(__dirname, "..");
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

interface Shown { file: string; line: number; text: string }

/** The code a reader copies: lines of fenced blocks and the contents of inline code spans. */
function codeOf(file: string): Shown[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const out: Shown[] = [];
  let fenced = false;
  lines.forEach((l, i) => {
    if (/^\s*```/.test(l)) { fenced = !fenced; return; }
    if (fenced) out.push({ file, line: i + 1, text: l });
    else for (const m of l.matchAll(/`([^`]+)`/g)) out.push({ file, line: i + 1, text: m[1]! });
  });
  return out;
}

interface Invocation extends Shown { commands: string[]; args: string[] }

/** `fedquant sub …`, `npx fedquant sub …`, `node dist/cli/main.js sub …` (sub may read "run|e3|sample"). */
function invocations(s: Shown): Invocation[] {
  const out: Invocation[] = [];
  for (const m of s.text.matchAll(/(?:^|[\s(])(?:npx\s+)?(?:fedquant|node\s+dist\/cli\/main\.js)\s+([a-z][a-z0-9]*(?:\|[a-z][a-z0-9]*)*)([^#]*)/g)) {
    out.push({ ...s, commands: m[1]!.split("|"), args: m[2]!.trim().split(/\s+/).filter(Boolean) });
  }
  return out;
}

const program = buildProgram();
const globalOptions = new Set([...program.options.map((o) => o.long!), "--help", "--version"]);

function find(name: string, args: string[]): Command | undefined {
  const c = program.commands.find((x) => x.name() === name);
  const sub = c?.commands.find((x) => x.name() === args[0]);
  return sub ?? c;
}

const shown = files.flatMap(codeOf).flatMap(invocations);

describe("fedquant command lines in README.md and docs/*.md", () => {
  it("finds them (the check is not vacuous)", () => {
    expect(shown.length).toBeGreaterThanOrEqual(20);
    expect(shown.some((s) => s.args.some((a) => a.startsWith("--")))).toBe(true);
  });

  it("name subcommands the program has", () => {
    const known = new Set(program.commands.map((c) => c.name()));
    const bad = shown.flatMap((s) => s.commands.filter((c) => !known.has(c)).map((c) => `${s.file}:${s.line}: fedquant ${c}`));
    expect(bad).toEqual([]);
  });

  it("pass only options their subcommand declares", () => {
    const bad: string[] = [];
    for (const s of shown) {
      for (const name of s.commands) {
        const cmd = find(name, s.args);
        if (!cmd) continue; // the subcommand test reports it
        const declared = new Set([...cmd.options.map((o) => o.long!), ...globalOptions]);
        for (const a of s.args) {
          const opt = /^\[?(--[a-z][a-z0-9-]*)/.exec(a)?.[1];
          if (opt && !declared.has(opt)) bad.push(`${s.file}:${s.line}: fedquant ${name} ${opt}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("`npm run X` names a script of package.json", () => {
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const runs = files.flatMap(codeOf).flatMap((s) => [...s.text.matchAll(/npm run ([a-z][a-z0-9:-]*)/g)].map((m) => ({ ...s, script: m[1]! })));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs.filter((r) => !(r.script in scripts)).map((r) => `${r.file}:${r.line}: npm run ${r.script}`)).toEqual([]);
  });

  it("name config files that exist", () => {
    const bad = shown.flatMap((s) => s.args.filter((a) => /^examples\/[^*<…]+\.json$/.test(a) && !existsSync(join(root, a))).map((a) => `${s.file}:${s.line}: ${a}`));
    expect(bad).toEqual([]);
  });
});
