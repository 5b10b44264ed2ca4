// `npm start`'s pre-step: rebuild the wasm and dist/ only when a source is newer than what was built
// from it (a clone's first start builds; later starts go straight to the job).
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newest(dir, test = () => true) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, test));
    else if (test(p)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}
const oldest = (files) => Math.min(...files.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));

const wasm = ["simd", "scalar", "relaxed"].map((f) => `build/fedquant.${f}.wasm`);
if (newest("assembly") > oldest(wasm) || statSync("scripts/build-wasm.mjs").mtimeMs > oldest(wasm) || statSync("asconfig.json").mtimeMs > oldest(wasm)) {
  console.error("sources of the wasm kernel changed: npm run build:wasm");
  execSync("npm run build:wasm", { stdio: "inherit" });
}
const ts = (p) => p.endsWith(".ts");
if (newest("src", ts) > oldest(["dist/cli/main.js", "dist/index.js"]) || statSync("tsconfig.build.json").mtimeMs > oldest(["dist/index.js"])) {
  console.error("TypeScript sources changed: npm run build:ts");
  execSync("npm run build:ts", { stdio: "inherit" });
}
