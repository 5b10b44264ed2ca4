// Where the real data sets (phishing, a9a: LIBSVM files and their 20-worker split files) are found:
// --data-dir (or a config's problem.dataDir) when the folder holds the file, else the user cache
// folder that `fedquant data get` fills. Every "missing" message names both ways to get the data.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const DEFAULT_DATA_DIR = "../shared/data";
export const REFERENCE_SETS = ["phishing", "a9a"] as const;
export type ReferenceSet = (typeof REFERENCE_SETS)[number];

/** $FEDQUANT_CACHE_DIR, else the platform's user cache folder + /fedquant (XDG on Linux). */
export function userCacheDir(): string {
  const env = process.env.FEDQUANT_CACHE_DIR;
  if (env) return resolve(env);
  if (process.platform === "win32") return join(process.env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "fedquant", "Cache");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "fedquant");
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "fedquant");
}

/** The cache folder's data sub-folder (what `fedquant data get` writes). */
export function cacheDataDir(): string {
  return join(userCacheDir(), "data");
}

const hasSet = (dir: string, name: string) => existsSync(join(dir, `${name}.libsvm`)) && existsSync(join(dir, `${name}-noniid-20.json`));

/**
 * The folder to read `name` from: `dataDir` if it holds it, else the cache folder if that does;
 * `missing` says what to do when neither does.
 */
export function referenceFiles(name: string, dataDir: string = DEFAULT_DATA_DIR): { dir: string; missing?: string } {
  if (hasSet(dataDir, name)) return { dir: dataDir };
  const cache = cacheDataDir();
  if (hasSet(cache, name)) return { dir: cache };
  return { dir: dataDir, missing: missingMessage(name, dataDir) };
}

export function missingMessage(name: string, dataDir: string): string {
  return `the ${name} data set (${name}.libsvm and ${name}-noniid-20.json) is neither in ${resolve(dataDir)} nor in the cache folder ${cacheDataDir()}: ` +
    `run \`npx fedquant data get ${name}\` (downloads it from the LIBSVM data-sets page and checks its SHA-256), or pass --data-dir <folder holding ${name}.libsvm>`;
}
