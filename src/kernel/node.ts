// Node-only: read the wasm bytes from disk. Imported dynamically by load.ts only under Node,
// so browser bundles never reach node:fs.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** A file: URL, or a file path (relative paths resolve against the working directory). */
export async function readWasm(where: URL | string): Promise<Uint8Array> {
  return readFile(typeof where === "string" ? where : fileURLToPath(where));
}
