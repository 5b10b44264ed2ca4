// Node-only: load a LIBSVM file from disk, streamed line by line into the pure parser (libsvm.ts).
import { LibsvmParser } from "./libsvm.js";
import type { LibsvmOptions } from "./libsvm.js";
import { readLinesSync } from "./lines-node.js";
import type { Dataset } from "../models/types.js";

export function loadLibsvm(path: string, options: LibsvmOptions = {}): Dataset {
  const parser = new LibsvmParser(options, path);
  for (const line of readLinesSync(path)) parser.push(line);
  return parser.finish();
}
