// `fedquant sample <config.json> [--quick] [--resume]` — experiment E4 (spec/experiments.md): Bayesian
// federated sampling with the QLSD family from an examples/e4-*.json config. Samples stream to disk
// with checkpoints; --resume continues an interrupted run from its checkpoints with the same streams.
import { basename, resolve } from "node:path";
import type { Command } from "commander";
import { checkResumable, writeStamp } from "../../experiments/config-stamp.js";
import { parseE4Config } from "../../experiments/e4-config.js";
import { runE4 } from "../../experiments/e4.js";
import { progressBar } from "../progress.js";
import { onInterrupt, resumeCommand } from "../interrupt.js";
import { checkE4Config } from "../validate/check-sample.js";
import { checkOutDir } from "../validate/out-dir.js";
import { parseThreads, readConfig, THREADS_HELP } from "./run.js";

export function registerSample(program: Command): void {
  program.command("sample")
    .argument("<config>", "an E4 config (JSON): examples/e4-gaussian.json, e4-logistic.json, e4-bnn.json")
    .description("Bayesian federated sampling (QLSD#, QLSD*, QLSD++, LSD, SGLD, MALA): samples, diagnostics, results, figures, HTML report")
    .option("--quick", "the config's reduced \"quick\" variant (CI)")
    .option("--resume", "continue from the checkpoints of an interrupted run (same config, same output directory)")
    .option("--out <dir>", "output directory (default fedquant-out/<config file name>[-quick])")
    .option("--quiet", "no progress bars")
    .option("--threads <n>", THREADS_HELP)
    .action(async (config: string, opts: { quick?: boolean; resume?: boolean; out?: string; quiet?: boolean; threads?: string }) => {
      const cfg = parseE4Config(readConfig(config), { quick: opts.quick ?? false, source: config });
      checkE4Config(cfg, config);
      // named after the config file, so e4-logistic-shifted.json never writes into e4-logistic's results
      const out = checkOutDir(opts.out ?? `fedquant-out/${basename(config).replace(/\.json$/i, "")}${opts.quick ? "-quick" : ""}`);
      // a folder another config wrote is refused before any chain starts (the checkpoints would each
      // be refused only when their sampler's turn comes, after the earlier samplers ran again)
      if (opts.resume) checkResumable(out, cfg, `--resume (${config})`);
      writeStamp(out, cfg, cfg.experiment);
      onInterrupt(`Checkpoints are in ${out}; continue with:\n  ${resumeCommand()}`);
      if (opts.resume) console.error(`--resume: chains continue from the checkpoints in ${out} (a sampler without one starts over)`);
      const quiet = opts.quiet ?? false;
      const t0 = performance.now();
      const r = await runE4(cfg, {
        out, resume: opts.resume ?? false, quick: opts.quick ?? false, threads: parseThreads(opts.threads),
        log: (m) => { if (!quiet) console.error(m); },
        progress: (label, total) => progressBar(label, total, { quiet }),
      });
      console.log(`\n${cfg.experiment}${opts.quick ? " (quick)" : ""} — seed ${cfg.seed}`);
      console.log(r.summary);
      console.log(`\nreport: ${resolve(out, "report.html")}  (${((performance.now() - t0) / 1000).toFixed(1)} s; results, traces, samples, SVG figures in ${out})`);
    });
}
