// `fedquant run <config.json>` — one federated comparison from a JSON config (examples/*.json);
// `fedquant run` with no config runs the default comparison (what `npm start` does).
// Every config is validated whole (names, parameters, compressors, paths, --out) before any work.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { checkResumable } from "../../experiments/config-stamp.js";
import { defaultRunConfig } from "../../experiments/defaults.js";
import { parseRunConfig, type RunConfig } from "../../experiments/run-config.js";
import { runExperiment } from "../../experiments/run.js";
import { checkThreads, defaultThreads } from "../../federation/pool/index.js";
import { referenceFiles } from "../data-dir.js";
import { onInterrupt, resumeCommand } from "../interrupt.js";
import { progressBar } from "../progress.js";
import { resumeNote } from "../resume-note.js";
import { checkOutDir } from "../validate/out-dir.js";
import { checkRunConfig } from "../validate/check-run.js";

export function readConfig(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new FedquantError("E_IO", `cannot read config ${path}: ${why}`);
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

/** A reference problem reads its data from --data-dir / problem.dataDir, else the user cache folder. */
export function withDataDir(cfg: RunConfig, dataDir?: string): RunConfig {
  if (cfg.problem.kind !== "reference") return cfg;
  const dir = referenceFiles(cfg.problem.dataset, dataDir ?? cfg.problem.dataDir).dir;
  return { ...cfg, problem: { ...cfg.problem, dataDir: dir } };
}

/**
 * Runs configs one after another — after checking all of them and --out, so a mistake in the last
 * one costs nothing — with "run i/n" headers when there are several.
 */
export async function runAll(runs: { cfg: RunConfig; source: string }[], out: string, quiet: boolean, resume = false, threads = 1): Promise<void> {
  checkOutDir(out);
  for (const r of runs) checkRunConfig(r.cfg, r.source);
  // every folder --resume would reuse is checked before the first run starts
  if (resume) for (const r of runs) checkResumable(resolve(out, r.cfg.name), r.cfg, `--resume (${r.source})`);
  onInterrupt(`Finished algorithms are saved in ${resolve(out)}/<name>/.progress; continue with:\n  ${resumeCommand()}`);
  for (const [i, r] of runs.entries()) {
    if (runs.length > 1) console.error(`\n== run ${i + 1}/${runs.length}: ${r.cfg.name}`);
    await runAndReport(r.cfg, out, quiet, resume, threads);
  }
}

export async function runAndReport(cfg: RunConfig, out: string, quiet: boolean, resume = false, threads = 1): Promise<void> {
  const outDir = resolve(out, cfg.name);
  if (resume) console.error(resumeNote(cfg, outDir));
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
  console.log("payload: the compressed vectors' own bits (what the papers count); wire: 8 × the bytes sent, each message's 37-byte header included.\n"
    + "k: the iteration from which F − F* stays below the target (\"oscillates\": it went below earlier, then back above).");
  console.log(`\nreport: ${resolve(outDir, "report.html")}  (${((performance.now() - t0) / 1000).toFixed(1)} s; results, CSV and SVG figures in ${outDir})`);
}

export function registerRun(program: Command): void {
  program.command("run")
    .argument("[config]", "a run config (JSON, see examples/); default: the main comparison (examples/main-lsr-d100.json)")
    .description("run federated algorithms on one problem and write results, figures and an HTML report")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--iterations <n>", "override the config's iteration count")
    .option("--data-dir <dir>", "where phishing/a9a are (default: the config's problem.dataDir, then the cache of `fedquant data get`)")
    .option("--quiet", "no progress bars")
    .option("--resume", "reuse the algorithms an interrupted run of the same config finished (saved in the output directory)")
    .option("--threads <n>", THREADS_HELP)
    .action(async (config: string | undefined, opts: { out: string; iterations?: string; dataDir?: string; quiet?: boolean; resume?: boolean; threads?: string }) => {
      const raw = config ? readConfig(config) : defaultRunConfig;
      const source = config ?? "the default config";
      let cfg = parseRunConfig(raw, source);
      if (opts.iterations !== undefined) {
        const k = Number(opts.iterations);
        if (!Number.isInteger(k) || k < 1 || k > 10_000_000) throw new FedquantError("E_CONFIG", `--iterations must be an integer in 1..10000000, got ${opts.iterations}`);
        cfg.iterations = k;
      }
      cfg = withDataDir(cfg, opts.dataDir);
      await runAll([{ cfg, source }], opts.out, opts.quiet ?? false, opts.resume ?? false, parseThreads(opts.threads));
    });
}
