// `fedquant sample <config>`: dispatch an E4 config to its experiment (spec/experiments.md E4).
import type { E4Config } from "./e4-config.js";
import { runE4Bnn } from "./e4-bnn.js";
import { runE4Gaussian } from "./e4-gaussian.js";
import { runE4Logistic } from "./e4-logistic.js";
import type { E4RunOptions } from "./e4-moments.js";

export async function runE4(cfg: E4Config, o: E4RunOptions): Promise<{ files: string[]; summary: string }> {
  switch (cfg.experiment) {
    case "e4-gaussian": return runE4Gaussian(cfg, o);
    case "e4-logistic": return runE4Logistic(cfg, o);
    case "e4-bnn": return runE4Bnn(cfg, o);
  }
}
