// Node-only: checkpoints written atomically (temp file, fsync, rename, fsync of the directory), so
// a crash leaves either the previous checkpoint or the new one, never a torn file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { FedquantError } from "../errors.js";

export function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try { writeSync(fd, bytes, 0, bytes.length, 0); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, path);
  } catch (e) {
    throw new FedquantError("E_IO", `cannot write the checkpoint ${path}: ${(e as Error).message}`, { cause: e });
  }
  try { const d = openSync(dirname(path), "r"); try { fsyncSync(d); } finally { closeSync(d); } } catch { /* directories cannot be fsynced on every platform */ }
}

export function readIfExists(path: string): Uint8Array | undefined {
  if (!existsSync(path)) return undefined;
  try { return readFileSync(path); } catch (e) { throw new FedquantError("E_IO", `cannot read the checkpoint ${path}: ${(e as Error).message}`, { cause: e }); }
}

export function removeIfExists(path: string): void { rmSync(path, { force: true }); rmSync(`${path}.tmp`, { force: true }); }
