// Node-only: load a CSV file from disk, streamed line by line into the pure parser (csv.ts).
import { CsvParser } from "./csv.js";
import type { CsvOptions } from "./csv.js";
import { readLinesSync } from "./lines-node.js";
import type { Dataset } from "../models/types.js";

export function loadCsv(path: string, options: CsvOptions = {}): Dataset {
  const parser = new CsvParser(options, path);
  for (const line of readLinesSync(path)) parser.push(line);
  return parser.finish();
}
