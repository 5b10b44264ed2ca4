// Node-only: read the wasm bytes from disk. Imported dynamically by load.ts only under Node,
// so browser bundles never reach node:fs.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export async function readWasm(url: URL): Promise<Uint8Array> {
  return readFile(fileURLToPath(url));
}
