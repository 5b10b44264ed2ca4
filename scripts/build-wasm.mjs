// Builds the two kernel flavours from the same AssemblyScript sources: SIMD and scalar.
// The sources branch on ASC_FEATURE_SIMD, so the scalar build contains no v128 at all.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

mkdirSync("build", { recursive: true });
const common = ["assembly/index.ts", "--runtime", "stub", "-O3", "--noAssert",
  "--initialMemory", "2"];
const flavours = [
  { name: "simd", flags: ["--enable", "simd"] },
  { name: "scalar", flags: ["--disable", "simd"] },
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
console.log("built build/fedquant.simd.wasm and build/fedquant.scalar.wasm");
