// `fedquant data get phishing|a9a [--from URL] [--dir DIR]`: fetch the raw LIBSVM file from the
// LIBSVM data-sets page (or a mirror), check its SHA-256, and put it with the 20-worker split file
// the package ships into the user cache folder, where run/e3 look when --data-dir lacks it.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { DATA_SOURCES, LIBSVM_BINARY_URL } from "../../data/sources.js";
import { downloadVerified } from "../../data/download-node.js";
import { FedquantError } from "../../errors.js";
import { cacheDataDir } from "../data-dir.js";
import { checkOutDir } from "../validate/out-dir.js";
import { didYouMean } from "../validate/suggest.js";

/** The package's data/ folder (the split files): ../../../data from dist/cli/commands or src/cli/commands. */
export function packageDataDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../data");
}

export function registerData(program: Command): void {
  const data = program.command("data").description("the real data sets of E3 (phishing, a9a): download, check, cache");
  data.command("get")
    .argument("<names...>", `data sets: ${Object.keys(DATA_SOURCES).join(", ")}`)
    .description("download from the LIBSVM data-sets page, check the SHA-256, and cache with the shipped 20-worker split")
    .option("--from <url>", "base URL to download from (a mirror)", LIBSVM_BINARY_URL)
    .option("--dir <dir>", "where to put the files (default: the user cache folder; then pass it as --data-dir)")
    .option("--force", "download again even if a checked copy is there")
    .action(async (names: string[], o: { from: string; dir?: string; force?: boolean }) => {
      const known = Object.keys(DATA_SOURCES);
      for (const n of names) if (!known.includes(n)) throw new FedquantError("E_CONFIG", `unknown data set "${n}"${didYouMean(n, known)} (known: ${known.join(", ")})`);
      let base: URL;
      try { base = new URL(o.from.endsWith("/") ? o.from : `${o.from}/`); } catch {
        throw new FedquantError("E_CONFIG", `--from must be a URL such as ${LIBSVM_BINARY_URL}, got ${o.from}`);
      }
      const dir = o.dir ? checkOutDir(o.dir, "--dir") : cacheDataDir();
      mkdirSync(dir, { recursive: true });
      for (const n of names as (keyof typeof DATA_SOURCES)[]) {
        const src = DATA_SOURCES[n];
        const split = join(packageDataDir(), `${n}-noniid-20.json`);
        if (!existsSync(split)) throw new FedquantError("E_DATA", `the package's split file ${split} is missing; reinstall fedquant`);
        copyFileSync(split, join(dir, `${n}-noniid-20.json`));
        const dest = join(dir, src.file);
        if (existsSync(dest) && !o.force) { console.log(`${n}: already in ${dest}`); continue; }
        const url = new URL(src.remote, base).href;
        console.error(`${n}: downloading ${url} …`);
        const r = await downloadVerified({ url, dest, sha256: src.sha256 });
        console.log(`${n}: ${r.bytes} bytes, SHA-256 checked → ${r.path}`);
      }
      console.log(`\nrun/e3 find them there${o.dir ? ` with --data-dir ${o.dir}` : ""}; e.g. npx fedquant e3 --problem phishing-noniid${o.dir ? ` --data-dir ${o.dir}` : ""}`);
    });
}
