// What `--resume` will reuse and what it will ignore, said before the run starts (issue #14 item 11):
// trajectories saved by an interrupted run of this exact config are reused; files saved for any
// other config (the config changed since) are ignored and recomputed.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RunProgress } from "../experiments/run-progress.js";
import type { RunConfig } from "../experiments/run-config.js";

export function resumeNote(cfg: RunConfig, outDir: string): string {
  const progress = new RunProgress(outDir, cfg);
  const reused = cfg.algorithms.map((a, i) => (progress.load(i, a.label ?? a.name) ? a.label ?? a.name : undefined)).filter((x): x is string => !!x);
  const dir = join(outDir, ".progress");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  const foreign = files.length - reused.length;
  const parts = [
    reused.length ? `--resume: reusing ${reused.length} of ${cfg.algorithms.length} algorithms (${reused.join(", ")}), running the rest` : `--resume: nothing saved for this config in ${outDir}; running all ${cfg.algorithms.length} algorithms`,
  ];
  if (foreign > 0) parts.push(`--resume: ignoring ${foreign} saved result${foreign === 1 ? "" : "s"} of a different config (the config changed since they were saved)`);
  return parts.join("\n");
}
