// Builds the kernel flavours from the same AssemblyScript sources, one asconfig.json target each:
// SIMD, scalar and (opt-in) relaxed SIMD. The sources branch on ASC_FEATURE_SIMD, so the scalar
// build contains no v128 at all; the relaxed build adds f32x4.relaxed_madd to the Voronoi search
// only (ASC_FEATURE_RELAXED_SIMD) and is loaded only where the engine validates it.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

mkdirSync("build", { recursive: true });
const targets = ["simd", "scalar", "relaxed"];
for (const t of targets) {
  const { error, stderr } = await asc.main(["--config", "asconfig.json", "--target", t]);
  if (error) {
    console.error(stderr.toString());
    console.error(`asc failed for the ${t} target of asconfig.json: ${error.message}`);
    process.exit(1);
  }
}
console.log(`built ${targets.map((t) => `build/fedquant.${t}.wasm`).join(", ")} (asconfig.json targets ${targets.join(", ")})`);
