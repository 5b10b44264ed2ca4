// `fedquant e2 [--quick] [--out dir]` — experiment E2 (spec/experiments.md; Leconte et al. 2021,
// StoVoQ): GD, HSQ-greedy and DoStoVoQ on the overlapping-workers least-squares problem, one
// report like `fedquant run` (results JSON/CSV, SVG figures against iterations and bits, HTML).
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { E2_FULL, E2_QUICK, e2Config } from "../../experiments/e2.js";
import { runAll } from "./run.js";

export function registerE2(program: Command): void {
  const size = (s: typeof E2_FULL | typeof E2_QUICK) => `n = ${s.n}, D = ${s.dim}, K = ${s.workers}, m = ${s.perWorker}, ${s.iterations} iterations`;
  program.command("e2")
    .description("experiment E2: DoStoVoQ on least squares — full-precision GD, HSQ-greedy, DoStoVoQ (≈ 1 bit/coordinate), DoStoVoQ-VR-DIANA")
    .option("--quick", `CI size (${size(E2_QUICK)}) instead of the full one (${size(E2_FULL)})`)
    .option("--seed <n>", "data and compression seed", "1")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--quiet", "no progress bars")
    .action(async (o: { quick?: boolean; seed: string; out: string; quiet?: boolean }) => {
      const seed = Number(o.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new FedquantError("E_CONFIG", `--seed must be an integer ≥ 0, got ${o.seed}`);
      await runAll([{ cfg: e2Config({ quick: o.quick, seed }), source: "E2" }], o.out, o.quiet ?? false);
    });
}
