// `fedquant e5 [--quick] [--out dir]` — experiment E5 (issue #12): a TF.js CNN on MNIST trained
// federatedly through fedquant/tfjs (SGD, QSGD, DIANA, Artemis, MCM × QSGD / DoStoVoQ). TF.js is
// an optional peer dependency, so the experiment is imported only when the command runs.
// `--split` prints the per-round time split instead, `--central` TF.js's centralised accuracy.
import type { Command } from "commander";
import { join } from "node:path";
import { FedquantError } from "../../errors.js";

interface E5Cli {
  quick?: boolean; seed: string; backend: string; only?: string; out: string; quiet?: boolean;
  split?: boolean; central?: boolean; arch: string; kernel: string; rounds?: string; batch?: string; compressor: string[];
  optimizer: string; lr: string; decay: string; epochs: string;
}

function positive(name: string, v: string, integer = true): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) throw new FedquantError("E_CONFIG", `--${name} must be a positive ${integer ? "integer" : "number"}, got ${v}`);
  return n;
}

/** "dostovoq" or "dostovoq:{\"codebookBits\":8}" */
function compressorArg(v: string): { name: string; params: Record<string, unknown> } {
  const i = v.indexOf(":");
  if (i < 0) return { name: v, params: {} };
  try { return { name: v.slice(0, i), params: JSON.parse(v.slice(i + 1)) as Record<string, unknown> }; } catch (e) {
    throw new FedquantError("E_CONFIG", `--compressor ${v}: the part after ":" must be JSON parameters (${(e as Error).message})`);
  }
}

export function registerE5(program: Command): void {
  program.command("e5")
    .description("experiment E5: federated CNN on MNIST with TF.js — test accuracy against rounds and bits, bits to 95 %, time split per round (needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm)")
    .option("--quick", "CI size (2,000 digits, 6 rounds) instead of the full one (10,000 digits, 400 rounds)")
    .option("--seed <n>", "data, model and compression seed", "1")
    .option("--backend <name>", "TF.js backend: auto, wasm or cpu", "auto")
    .option("--only <labels>", "comma-separated parts of algorithm labels to run (default all)")
    .option("--out <dir>", "output directory", "fedquant-out")
    .option("--quiet", "no progress lines")
    .option("--split", "print the per-round time split (TF.js gradient, encode with codebook and search, decode, aggregation) instead of running E5")
    .option("--central", "train the CNN centrally with TF.js's own optimizer and print the test accuracy per epoch instead of running E5")
    .option("--arch <name>", "the CNN, small (E5's, D = 5,386) or wide (D = 20,490)", "small")
    .option("--kernel <flavour>", "--split: fedquant's kernel, simd or relaxed (needs relaxed SIMD: Node 20 with --experimental-wasm-relaxed-simd)", "simd")
    .option("--rounds <n>", "rounds (E5: default 400, or 6 with --quick; --split: rounds of 20 clients to time, default 20)")
    .option("--batch <list>", "minibatch per client (E5: default 10, or 4 with --quick; --split: a comma-separated list, default 10; --central: default 32)")
    .option("--compressor <spec>", "--split: a compressor, name or name:{json params} (repeatable; default dostovoq at its defaults)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--optimizer <name>", "--central: adam or sgd", "adam")
    .option("--lr <x>", "--central: step size (Adam's α or SGD's γ)", "0.003")
    .option("--decay <x>", "--central: step size × decay per epoch", "1")
    .option("--epochs <n>", "--central: epochs", "10")
    .action(async (o: E5Cli) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new FedquantError("E_CONFIG", `--seed must be an integer ≥ 0, got ${o.seed}`);
      if (!["auto", "wasm", "cpu"].includes(o.backend)) throw new FedquantError("E_CONFIG", `--backend must be auto, wasm or cpu, got ${o.backend}`);
      if (!["small", "wide"].includes(o.arch)) throw new FedquantError("E_CONFIG", `--arch must be small or wide, got ${o.arch}`);
      if (!["simd", "relaxed"].includes(o.kernel)) throw new FedquantError("E_CONFIG", `--kernel must be simd or relaxed, got ${o.kernel}`);
      const common = { seed, backend: o.backend as "auto", arch: o.arch as "small", kernel: o.kernel as "simd", log: (l: string) => console.log(l) };
      if (o.split) {
        const { runE5Split } = await import("../../experiments/e5-tools.js");
        await runE5Split({
          ...common, rounds: positive("rounds", o.rounds ?? "20"), batches: (o.batch ?? "10").split(",").map((b) => positive("batch", b.trim())),
          compressors: o.compressor.length ? o.compressor.map(compressorArg) : [{ name: "dostovoq", params: {} }],
        });
        return;
      }
      if (o.central) {
        if (!["adam", "sgd"].includes(o.optimizer)) throw new FedquantError("E_CONFIG", `--optimizer must be adam or sgd, got ${o.optimizer}`);
        const { runE5Central } = await import("../../experiments/e5-tools.js");
        await runE5Central({ ...common, optimizer: o.optimizer as "adam", lr: positive("lr", o.lr, false), decay: positive("decay", o.decay, false), batch: positive("batch", o.batch ?? "32"), epochs: positive("epochs", o.epochs) });
        return;
      }
      const { runE5 } = await import("../../experiments/e5.js");
      const dir = join(o.out, (o.quick ? "e5-quick" : "e5") + (o.arch === "small" ? "" : `-${o.arch}`));
      const res = await runE5({
        quick: o.quick, arch: o.arch as "small", batch: o.batch === undefined ? undefined : positive("batch", o.batch), rounds: o.rounds === undefined ? undefined : positive("rounds", o.rounds), seed, backend: o.backend as "auto", out: dir, only: o.only?.split(",").map((s) => s.trim()).filter(Boolean),
        log: o.quiet ? undefined : (l) => console.log(l),
      });
      console.log(res.summary);
      console.log(`E5 took ${res.wallSeconds.toFixed(0)} s; report: ${join(dir, "report.html")}`);
    });
}
