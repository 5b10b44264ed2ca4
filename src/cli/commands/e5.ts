// `fedquant e5 [--quick] [--out dir]` — experiment E5 (issue #12): a TF.js CNN on MNIST trained
// federatedly through fedquant/tfjs (SGD, QSGD, DIANA, Artemis, MCM × QSGD / DoStoVoQ). TF.js is
// an optional peer dependency, so the experiment is imported only when the command runs.
import type { Command } from "commander";
import { join } from "node:path";
import { FedquantError } from "../../errors.js";

export function registerE5(program: Command): void {
  program.command("e5")
    .description("experiment E5: federated CNN on MNIST with TF.js — test accuracy against rounds and bits, bits to 95 %, time split per round (needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm)")
    .option("--quick", "CI size (2,000 digits, 6 rounds) instead of the full one (10,000 digits, 400 rounds)")
    .option("--seed <n>", "data, model and compression seed", "1")
    .option("--backend <name>", "TF.js backend: auto, wasm or cpu", "auto")
    .option("--only <labels>", "comma-separated parts of algorithm labels to run (default all)")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--quiet", "no progress lines")
    .action(async (o: { quick?: boolean; seed: string; backend: string; only?: string; out: string; quiet?: boolean }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new FedquantError("E_CONFIG", `--seed must be an integer ≥ 0, got ${o.seed}`);
      if (!["auto", "wasm", "cpu"].includes(o.backend)) throw new FedquantError("E_CONFIG", `--backend must be auto, wasm or cpu, got ${o.backend}`);
      const { runE5 } = await import("../../experiments/e5.js");
      const dir = join(o.out, o.quick ? "e5-quick" : "e5");
      const res = await runE5({
        quick: o.quick, seed, backend: o.backend as "auto", out: dir, only: o.only?.split(",").map((s) => s.trim()).filter(Boolean),
        log: o.quiet ? undefined : (l) => console.log(l),
      });
      console.log(res.summary);
      console.log(`E5 took ${res.wallSeconds.toFixed(0)} s; report: ${join(dir, "report.html")}`);
    });
}
