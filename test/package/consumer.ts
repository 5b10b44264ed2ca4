// A consumer project made the way a user makes one: the package packed into a tarball (`npm pack`
// of a staging copy: fresh `tsc` output, build/*.wasm, examples/, data/, README, LICENSE — so the
// test never rewrites the dist/ other tests run), then `npm install <tarball>` into an empty project.
// Dependencies come from the npm registry (npm's cache after `npm ci`, hence --prefer-offline).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface Consumer {
  /** the temp folder holding staging/, the tarball and app/ */
  root: string;
  tarball: string;
  /** the consumer project (node_modules/fedquant installed from the tarball) */
  app: string;
  /** the files npm put in the tarball */
  files: string[];
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_loglevel: "error" } });
}

export function packAndInstall(): Consumer {
  const root = mkdtempSync(join(tmpdir(), "fedquant-consumer-"));
  const staging = join(root, "staging");
  mkdirSync(join(staging, "build"), { recursive: true });
  for (const f of ["package.json", "README.md", "LICENSE"]) cpSync(join(REPO, f), join(staging, f));
  for (const d of ["examples", "data"]) cpSync(join(REPO, d), join(staging, d), { recursive: true });
  for (const f of readdirSync(join(REPO, "build")).filter((f) => f.endsWith(".wasm"))) cpSync(join(REPO, "build", f), join(staging, "build", f));
  // the same compiler options as `npm run build:ts`, into the staging copy
  run(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", join(REPO, "tsconfig.build.json"), "--outDir", join(staging, "dist")], REPO);
  const packed = JSON.parse(run(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", root], staging)) as { filename: string; files: { path: string }[] }[];
  const tarball = join(root, packed[0]!.filename);
  const app = join(root, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  run(NPM, ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], app);
  return { root, tarball, app, files: packed[0]!.files.map((f) => f.path) };
}
