// `fedquant distortion [--quick]` — experiment E1 (experiments.md): distortion at equal bits of
// StoVoQ, HSQ, Delaunay, sign, top-2, rand-2, cross-polytope and QSGD on 16-dim Gaussian buckets, K = 1
// and 20, the paper's quoted cells beside ours, and the correlated-workers figure (distortion-correlation.ts).
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { DISTORTION_METHODS, E1_FULL, E1_QUICK, runDistortion, type DistortionConfig } from "../../experiments/distortion.js";
import { writeDistortionReport } from "../../experiments/distortion-report.js";
import { CORR_FULL, CORR_QUICK, runCorrelation } from "../../experiments/distortion-correlation.js";
import { ready } from "../../kernel/index.js";
import { progressBar } from "../progress.js";
import { checkOutDir } from "../validate/out-dir.js";
import { didYouMean } from "../validate/suggest.js";

interface Opts { quick?: boolean; out: string; seed?: string; messages?: string; buckets?: string; k?: string; methods?: string; quiet?: boolean; correlation: boolean }

// bounds: one message of `buckets` 16-dim buckets is held at a time, K compressions of it
function int(name: string, v: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new FedquantError("E_CONFIG", `--${name} must be an integer in 1..${max}, got ${v}`);
  return n;
}

export function registerDistortion(program: Command): void {
  program.command("distortion")
    .description("experiment E1: distortion at equal bits per 16-dim bucket (StoVoQ, HSQ, Delaunay, sign, top-2, rand-2, cross-polytope, QSGD), K = 1 and 20, the paper's cells beside ours, and K = 8 workers with correlated inputs")
    .option("--quick", `reduced size for CI (${E1_QUICK.messages} messages × ${E1_QUICK.buckets} buckets instead of ${E1_FULL.messages} × ${E1_FULL.buckets})`)
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--seed <n>", "seed of the data and compression streams", String(E1_FULL.seed))
    .option("--messages <n>", "independent messages (the unit of the standard errors)")
    .option("--buckets <n>", "buckets per message")
    .option("--k <list>", "comma-separated numbers of averaged compressions", "1,20")
    .option("--methods <keys>", `comma-separated subset of: ${DISTORTION_METHODS.map((m) => m.key).join(", ")}`)
    .option("--no-correlation", `skip the study of K = ${CORR_FULL.workers} workers with correlated inputs (correlations ${CORR_FULL.correlations.join(", ")}; --quick: ${CORR_QUICK.correlations.join(", ")})`)
    .option("--quiet", "no progress bar")
    .action(async (o: Opts) => {
      const base = o.quick ? E1_QUICK : E1_FULL;
      const cfg: DistortionConfig = {
        ...base,
        seed: o.seed !== undefined ? Number(o.seed) : base.seed,
        messages: o.messages ? int("messages", o.messages, 10_000_000) : base.messages,
        buckets: o.buckets ? int("buckets", o.buckets, 1_000_000) : base.buckets,
        K: (o.k ?? "1,20").split(",").map((v) => int("k", v, 10_000)),
        methods: o.methods ? o.methods.split(",") : undefined,
      };
      if (!Number.isSafeInteger(cfg.seed) || cfg.seed < 0) throw new FedquantError("E_CONFIG", `--seed must be a non-negative integer, got ${o.seed}`);
      const keys = DISTORTION_METHODS.map((m) => m.key);
      for (const m of cfg.methods ?? []) if (!keys.includes(m)) throw new FedquantError("E_CONFIG", `--methods: unknown method "${m}"${didYouMean(m, keys)} (known: ${keys.join(", ")})`);
      checkOutDir(o.out);
      await ready();
      const nMethods = cfg.methods?.length ?? DISTORTION_METHODS.length;
      const bar = progressBar("E1 distortion", nMethods * cfg.messages, { quiet: o.quiet });
      const rows = runDistortion(cfg, (method) => bar.tick(1, { method }));
      bar.stop();
      let correlation;
      if (o.correlation) {
        const ccfg = { ...(o.quick ? CORR_QUICK : CORR_FULL), seed: cfg.seed, methods: cfg.methods };
        const cbar = progressBar("E1 correlated workers", nMethods * ccfg.messages, { quiet: o.quiet });
        correlation = { rows: runCorrelation(ccfg, (method) => cbar.tick(1, { method })), cfg: ccfg };
        cbar.stop();
      }
      const { paths, text } = await writeDistortionReport(o.out, rows, cfg, correlation);
      console.log(text);
      console.log(`\nwrote ${paths.join(", ")}`);
    });
}
