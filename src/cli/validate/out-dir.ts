// Checks an output directory before any work: a path that is a file, or a folder that cannot be
// created or written, is a FedquantError now — not an ENOTDIR after the first algorithm finished.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { FedquantError } from "../../errors.js";

export function checkOutDir(dir: string, flag = "--out"): string {
  if (typeof dir !== "string" || dir.trim() === "") throw new FedquantError("E_CONFIG", `${flag} must name a directory, got an empty string`);
  const abs = resolve(dir);
  // walk up to the first part that exists: it must be a directory we may write into
  let probe = abs;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const st = statSync(probe);
  if (!st.isDirectory()) {
    throw new FedquantError("E_CONFIG", `${flag} ${dir}: ${probe === abs ? "is a file" : `${probe} is a file`}, not a directory; give a directory (it is created if missing)`);
  }
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new FedquantError("E_IO", `${flag} ${dir}: ${probe} is not writable`);
  }
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    throw new FedquantError("E_IO", `${flag} ${dir}: cannot create it (${(e as Error).message})`, { cause: e });
  }
  return abs;
}
