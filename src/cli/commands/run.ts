// `fedquant run <config.json>` — one federated comparison from a JSON config (examples/*.json);
// `fedquant run` with no config runs the default comparison (what `npm start` does).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { defaultRunConfig } from "../../experiments/defaults.js";
import { parseRunConfig, type RunConfig } from "../../experiments/run-config.js";
import { runExperiment } from "../../experiments/run.js";
import { checkThreads, defaultThreads } from "../../federation/pool/index.js";
import { progressBar } from "../progress.js";

export function readConfig(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    throw new FedquantError("E_IO", `cannot read config ${path}: ${(e as Error).message}`);
  }
  try { return JSON.parse(text); } catch (e) {
    throw new FedquantError("E_CONFIG", `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** `--threads <n>`: the clients on n threads (bit-exact; 1 = all on the main thread). */
export const THREADS_HELP = "threads running the clients, bit-exact with 1 (default: the number of cores)";
export function parseThreads(s: string | undefined): number {
  return s === undefined ? defaultThreads() : checkThreads(Number(s), "--threads");
}

export async function runAndReport(cfg: RunConfig, out: string, quiet: boolean, resume = false, threads = 1): Promise<void> {
  const outDir = resolve(out, cfg.name);
  const t0 = performance.now();
  const r = await runExperiment(cfg, {
    outDir,
    resume,
    threads,
    log: (m) => { if (!quiet) console.error(m); },
    progress: (label, total) => progressBar(label, total, { quiet }),
  });
  console.log(`\n${cfg.name} — ${r.problem.description}; F* = ${r.problem.optimum.fStar.toPrecision(10)}`);
  console.log(r.summary);
  console.log(`\nreport: ${resolve(outDir, "report.html")}  (${((performance.now() - t0) / 1000).toFixed(1)} s; results, CSV and SVG figures in ${outDir})`);
}

export function registerRun(program: Command): void {
  program.command("run")
    .argument("[config]", "a run config (JSON, see examples/); default: the main comparison")
    .description("run federated algorithms on one problem and write results, figures and an HTML report")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--iterations <n>", "override the config's iteration count")
    .option("--quiet", "no progress bars")
    .option("--resume", "reuse the algorithms an interrupted run of the same config finished (saved in the output directory)")
    .option("--threads <n>", THREADS_HELP)
    .action(async (config: string | undefined, opts: { out: string; iterations?: string; quiet?: boolean; resume?: boolean; threads?: string }) => {
      const raw = config ? readConfig(config) : defaultRunConfig;
      const cfg = parseRunConfig(raw, config ?? "the default config");
      if (opts.iterations !== undefined) {
        const k = Number(opts.iterations);
        if (!Number.isInteger(k) || k < 1) throw new FedquantError("E_CONFIG", `--iterations must be a positive integer, got ${opts.iterations}`);
        cfg.iterations = k;
      }
      await runAndReport(cfg, opts.out, opts.quiet ?? false, opts.resume ?? false, parseThreads(opts.threads));
    });
}
