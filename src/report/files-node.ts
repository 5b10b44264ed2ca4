// Node-only: write report files to disk, every failure as E_IO naming the path. Reached only through
// dynamic imports (results.ts, html.ts) so browser bundles of the report layer never load node:fs.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FedquantError } from "../errors.js";

/** Creates `dir` (recursively) and writes each file into it; returns the written paths in order. */
export async function writeTextFiles(dir: string, files: { name: string; content: string }[]): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new FedquantError("E_IO", `cannot create the output directory ${dir}: ${reason(err)}`, { cause: err });
  }
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    try {
      await writeFile(path, file.content, "utf8");
    } catch (err) {
      throw new FedquantError("E_IO", `cannot write ${path}: ${reason(err)}`, { cause: err });
    }
    paths.push(path);
  }
  return paths;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
