// Node-only: read a text file line by line synchronously in fixed-size chunks, so a large data
// file is streamed (never held whole as one string) and loaders can stay synchronous.
import * as fs from "node:fs";
import { FedquantError } from "../errors.js";

const CHUNK = 1 << 20;

/**
 * Lines without their \n or \r\n. Throws E_DATA "not found" for a missing file, E_IO for other
 * read failures. `chunkBytes` only matters to tests (small chunks exercise the boundaries).
 */
export function* readLinesSync(path: string, chunkBytes = CHUNK): Generator<string, void, undefined> {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new FedquantError("E_DATA", `data file ${path} not found`);
    throw new FedquantError("E_IO", `cannot open ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    const decoder = new TextDecoder("utf-8");
    let rest = "";
    for (;;) {
      let got: number;
      try {
        got = fs.readSync(fd, buf, 0, chunkBytes, null);
      } catch (e) {
        throw new FedquantError("E_IO", `cannot read ${path}: ${(e as Error).message}`, { cause: e });
      }
      // stream: true keeps a UTF-8 sequence cut by the chunk boundary for the next call
      const text = rest + decoder.decode(buf.subarray(0, got), { stream: got > 0 });
      const parts = text.split("\n");
      rest = parts.pop()!;
      for (const part of parts) yield part.endsWith("\r") ? part.slice(0, -1) : part;
      if (got === 0) break;
    }
    if (rest !== "") yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
  } finally {
    fs.closeSync(fd);
  }
}
