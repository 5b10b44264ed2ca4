// Up-front validation of a whole `fedquant run` config (issue #14): every algorithm entry is built
// exactly as the run will build it (names, parameters, both compressors, rates), and every path the
// problem names is checked, before the first iteration — so a misspelt 5th algorithm fails in
// milliseconds instead of after four finished runs, and leaves no progress files behind.
import { existsSync, statSync } from "node:fs";
import { createAlgorithm } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { algorithmConfig } from "../../experiments/run.js";
import type { RunConfig } from "../../experiments/run-config.js";
import { referenceFiles } from "../data-dir.js";
import { withSuggestion } from "./suggest.js";

/** Throws one E_CONFIG (or E_DATA for missing data) listing every problem found, or returns. */
export function checkRunConfig(cfg: RunConfig, source: string): void {
  const problems: FedquantError[] = [];
  for (const [i, entry] of cfg.algorithms.entries()) {
    const label = entry.label ?? entry.name;
    try {
      // L = 1 only resolves γ specs such as "1/L" to a positive number; the real L comes later
      createAlgorithm(entry.name, algorithmConfig(cfg, entry, 1));
    } catch (e) {
      const err = withSuggestion(e, `algorithms.${i} ("${label}")`);
      if (!(err instanceof FedquantError)) throw err;
      problems.push(err);
    }
  }
  const p = cfg.problem;
  if (p.kind === "libsvm") {
    if (!existsSync(p.path)) problems.push(new FedquantError("E_CONFIG", `problem.path: no file ${p.path}`));
    else if (!statSync(p.path).isFile()) problems.push(new FedquantError("E_CONFIG", `problem.path: ${p.path} is not a file`));
  }
  if (p.kind === "reference") {
    const r = referenceFiles(p.dataset, p.dataDir);
    if (r.missing) problems.push(new FedquantError("E_DATA", r.missing));
  }
  if (problems.length === 0) return;
  const code = problems.every((e) => e.code === "E_DATA") ? "E_DATA" : "E_CONFIG";
  // a bad run-wide default (cfg.up/down) fails every algorithm that takes it: say it once
  const byCause = new Map<string, string[]>();
  for (const e of problems) {
    const m = /^(algorithms\.\d+ \("[^"]*"\)): (?:[a-z0-9-]+: )?(.*)$/s.exec(e.message.replace(/^E_[A-Z_]+: /, ""));
    const [where, what] = m ? [m[1]!, m[2]!] : ["", e.message.replace(/^E_[A-Z_]+: /, "")];
    byCause.set(what, [...(byCause.get(what) ?? []), where]);
  }
  const lines = [...byCause].map(([what, where]) => `  ${where.filter(Boolean).join(", ")}${where[0] ? ": " : ""}${what}`);
  throw new FedquantError(code, `${source}: nothing was run, the config has ${lines.length === 1 ? "a problem" : `${lines.length} problems`}:\n${lines.join("\n")}`);
}
