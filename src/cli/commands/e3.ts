// `fedquant e3 [--quick] [--problem P] [--variant V]` — experiment E3: every algorithm of the
// Artemis/MCM papers on each problem (synthetic, phishing, a9a) and variant (full batch,
// stochastic, partial participation), one report per (problem, variant). Every (problem, variant)
// config, the data and --out are checked before the first one runs.
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { E3_DEFAULT_VARIANTS, E3_PROBLEMS, E3_VARIANTS, e3Config, type E3Problem } from "../../experiments/e3.js";
import { missingMessage, referenceFiles } from "../data-dir.js";
import { didYouMean } from "../validate/suggest.js";
import { parseThreads, runAll, THREADS_HELP, withDataDir } from "./run.js";

function names(list: string | undefined, known: string[], what: string): string[] {
  const wanted = list ? list.split(",").map((s) => s.trim()).filter(Boolean) : known;
  for (const w of wanted) if (!known.includes(w)) throw new FedquantError("E_CONFIG", `unknown E3 ${what} "${w}"${didYouMean(w, known)} (known: ${known.join(", ")})`);
  return wanted;
}

export function registerE3(program: Command): void {
  program.command("e3")
    .description("experiment E3: bidirectional compression (SGD, QSGD, Diana, Bi-QSGD, Artemis, Dore, DoubleSqueeze, MCM, Rand-MCM, Artemis-ND)")
    .option("--quick", "40 iterations instead of 400 (CI)")
    .option("--problem <names>", `comma-separated subset of: ${Object.keys(E3_PROBLEMS).join(", ")}`)
    .option("--variant <names>", `comma-separated subset of: ${Object.keys(E3_VARIANTS).join(", ")} (default: ${E3_DEFAULT_VARIANTS.join(", ")}; -linf: max|x_i| scaling instead of the papers' ℓ2)`)
    .option("--data-dir <dir>", "where phishing.libsvm, a9a.libsvm and the splits are (default ../shared/data, then the cache of `fedquant data get`)")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--quiet", "no progress bars")
    .option("--resume", "reuse the algorithms an interrupted run finished")
    .option("--threads <n>", THREADS_HELP)
    .action(async (o: { quick?: boolean; problem?: string; variant?: string; dataDir?: string; out: string; quiet?: boolean; resume?: boolean; threads?: string }) => {
      const problems = names(o.problem, Object.keys(E3_PROBLEMS), "problem") as E3Problem[];
      const variants = o.variant ? names(o.variant, Object.keys(E3_VARIANTS), "variant") : [...E3_DEFAULT_VARIANTS];
      const runs = [];
      for (const p of problems) {
        const ds = (E3_PROBLEMS[p] as { dataset?: string }).dataset;
        // without --problem, a real-data problem whose data is absent is skipped (said why);
        // named explicitly, it is an error (checkRunConfig, before anything runs)
        if (ds && !o.problem && referenceFiles(ds, o.dataDir).missing) {
          console.error(`skipping ${p}: ${missingMessage(ds, o.dataDir ?? "../shared/data")}`);
          continue;
        }
        for (const v of variants) runs.push({ cfg: withDataDir(e3Config(p, v, { quick: o.quick }), o.dataDir), source: `E3 ${p}/${v}` });
      }
      await runAll(runs, o.out, o.quiet ?? false, o.resume ?? false, parseThreads(o.threads));
    });
}
