// `fedquant e3 [--quick] [--problem P] [--variant V]` — experiment E3: every algorithm of the
// Artemis/MCM papers on each problem (synthetic, phishing, a9a) and variant (full batch,
// stochastic, partial participation), one report per (problem, variant).
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { availableE3Problems, E3_DEFAULT_VARIANTS, E3_PROBLEMS, E3_VARIANTS, e3Config, type E3Problem } from "../../experiments/e3.js";
import { parseThreads, runAndReport, THREADS_HELP } from "./run.js";

export function registerE3(program: Command): void {
  program.command("e3")
    .description("experiment E3: bidirectional compression (SGD, QSGD, Diana, Bi-QSGD, Artemis, Dore, DoubleSqueeze, MCM, Rand-MCM, Artemis-ND)")
    .option("--quick", "40 iterations instead of 400 (CI)")
    .option("--problem <names>", `comma-separated subset of: ${Object.keys(E3_PROBLEMS).join(", ")}`)
    .option("--variant <names>", `comma-separated subset of: ${Object.keys(E3_VARIANTS).join(", ")} (default: ${E3_DEFAULT_VARIANTS.join(", ")}; -linf: max|x_i| scaling instead of the papers' ℓ2)`)
    .option("--data-dir <dir>", "where phishing.libsvm, a9a.libsvm and the splits are", "../shared/data")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--quiet", "no progress bars")
    .option("--resume", "reuse the algorithms an interrupted run finished")
    .option("--threads <n>", THREADS_HELP)
    .action(async (o: { quick?: boolean; problem?: string; variant?: string; dataDir: string; out: string; quiet?: boolean; resume?: boolean; threads?: string }) => {
      const { run, skipped } = availableE3Problems(o.dataDir);
      const wanted = o.problem ? o.problem.split(",") : run;
      for (const p of wanted) if (!(p in E3_PROBLEMS)) throw new FedquantError("E_CONFIG", `unknown E3 problem "${p}"; known: ${Object.keys(E3_PROBLEMS).join(", ")}`);
      const variants: string[] = o.variant ? o.variant.split(",") : [...E3_DEFAULT_VARIANTS];
      for (const v of variants) if (!(v in E3_VARIANTS)) throw new FedquantError("E_CONFIG", `unknown E3 variant "${v}"; known: ${Object.keys(E3_VARIANTS).join(", ")}`);
      for (const s of skipped) if (!o.problem) console.error(`skipping ${s}: the real-data experiments need ../shared/data`);
      for (const p of wanted as E3Problem[]) {
        if (!run.includes(p)) throw new FedquantError("E_DATA", `E3 problem ${p} needs its data set in ${o.dataDir}`);
        for (const v of variants) await runAndReport(e3Config(p, v, { quick: o.quick, dataDir: o.dataDir }), o.out, o.quiet ?? false, o.resume ?? false, parseThreads(o.threads));
      }
    });
}
