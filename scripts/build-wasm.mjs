// Builds the kernel flavours from the same AssemblyScript sources: SIMD, scalar and (opt-in) relaxed SIMD.
// The sources branch on ASC_FEATURE_SIMD, so the scalar build contains no v128 at all.
// A third, opt-in flavour adds relaxed SIMD (loaded only where the engine validates it).
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

mkdirSync("build", { recursive: true });
const common = ["assembly/index.ts", "--runtime", "stub", "-O3", "--noAssert",
  "--initialMemory", "2"];
const flavours = [
  { name: "simd", flags: ["--enable", "simd"] },
  { name: "scalar", flags: ["--disable", "simd"] },
  // opt-in: the Voronoi search uses f32x4.relaxed_madd (ASC_FEATURE_RELAXED_SIMD); everything a
  // sender and a receiver must agree on is the same code as the simd build
  { name: "relaxed", flags: ["--enable", "simd", "--enable", "relaxed-simd"] },
];
for (const f of flavours) {
  const { error, stderr } = await asc.main([...common, ...f.flags, "--outFile", `build/fedquant.${f.name}.wasm`,
    "--textFile", `build/fedquant.${f.name}.wat`]);
  if (error) {
    console.error(stderr.toString());
    console.error(`asc failed for the ${f.name} build: ${error.message}`);
    process.exit(1);
  }
}
console.log(`built ${flavours.map((f) => `build/fedquant.${f.name}.wasm`).join(", ")}`);
