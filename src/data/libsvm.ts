// LIBSVM text format parser, pure (strings in, Dataset out) so browsers can use it; the file
// reader is libsvm-node.ts. Format: "label idx:val idx:val ..." with 1-based indices, missing = 0,
// features = the largest index seen (data/README step 1).
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/types.js";
import { splitLines } from "./lines.js";

/** Largest n·p a parsed file may expand to: 2^28 float64 entries, 2 GiB. */
export const MAX_DENSE_ENTRIES = 2 ** 28;

export interface LibsvmOptions {
  /** Fix the number of features (e.g. a test file that never uses the last ones); an index above it is E_DATA. */
  features?: number;
}

/**
 * Incremental parser: feed it lines (numbered from 1 in error messages), then `finish()`.
 * Entries are kept sparse (row, column, value) until the width is known.
 */
export class LibsvmParser {
  private readonly labels: number[] = [];
  private readonly rowOf: number[] = [];
  private readonly colOf: number[] = [];
  private readonly valOf: number[] = [];
  private maxIndex = 0;
  private lineNo = 0;

  constructor(private readonly options: LibsvmOptions = {}, private readonly source = "libsvm") {
    const f = options.features;
    if (f !== undefined && !(Number.isInteger(f) && f >= 1)) throw new FedquantError("E_CONFIG", `${source}: features must be an integer ≥ 1, got ${f}`);
  }

  private fail(what: string, line: string): never {
    const shown = line.length > 80 ? `${line.slice(0, 77)}...` : line;
    throw new FedquantError("E_DATA", `${this.source}: line ${this.lineNo}: ${what} (line: "${shown}")`);
  }

  push(rawLine: string): void {
    this.lineNo++;
    const hash = rawLine.indexOf("#");
    const line = (hash >= 0 ? rawLine.slice(0, hash) : rawLine).trim();
    if (line === "") return; // blank and comment-only lines carry no row
    const tokens = line.split(/\s+/);
    const label = Number(tokens[0]);
    if (!Number.isFinite(label)) this.fail(`label "${tokens[0]}" is not a number`, rawLine);
    const row = this.labels.length;
    let last = 0;
    for (let t = 1; t < tokens.length; t++) {
      const tok = tokens[t]!;
      const colon = tok.indexOf(":");
      if (colon <= 0 || colon === tok.length - 1) this.fail(`token "${tok}" is not index:value`, rawLine);
      const key = tok.slice(0, colon);
      if (key === "qid") continue; // ranking files: the query id is not a feature
      if (!/^\d+$/.test(key)) this.fail(`index "${key}" is not a positive integer`, rawLine);
      const idx = Number(key);
      if (idx < 1) this.fail(`index ${idx} is below 1 (LIBSVM indices are 1-based)`, rawLine);
      if (idx <= last) this.fail(`index ${idx} is not above the previous index ${last} (LIBSVM indices are increasing)`, rawLine);
      if (this.options.features !== undefined && idx > this.options.features) this.fail(`index ${idx} exceeds features = ${this.options.features}`, rawLine);
      const val = Number(tok.slice(colon + 1));
      if (!Number.isFinite(val)) this.fail(`value "${tok.slice(colon + 1)}" of index ${idx} is not a finite number`, rawLine);
      last = idx;
      if (val !== 0) { this.rowOf.push(row); this.colOf.push(idx - 1); this.valOf.push(val); }
    }
    if (last > this.maxIndex) this.maxIndex = last;
    this.labels.push(label);
  }

  finish(): Dataset {
    const n = this.labels.length;
    const p = this.options.features ?? this.maxIndex;
    // the matrix is dense: one stray index such as 4000000000:1 must not ask for terabytes
    if (n * p > MAX_DENSE_ENTRIES) {
      throw new FedquantError("E_DATA", `${this.source}: ${n} rows × ${p} features (the largest index) is ${n * p} dense entries, more than the ${MAX_DENSE_ENTRIES} (2 GiB) fedquant holds in memory`);
    }
    const X = new Float64Array(n * p);
    for (let k = 0; k < this.valOf.length; k++) X[this.rowOf[k]! * p + this.colOf[k]!] = this.valOf[k]!;
    return { n, p, X, y: Float64Array.from(this.labels) };
  }
}

/** Parses LIBSVM text (a whole string, or an iterable of lines). */
export function parseLibsvm(input: string | Iterable<string>, options: LibsvmOptions = {}): Dataset {
  const parser = new LibsvmParser(options);
  for (const line of typeof input === "string" ? splitLines(input) : input) parser.push(line);
  return parser.finish();
}

/** LIBSVM text of a dataset (the inverse of parseLibsvm up to zeros): for exports and tests. */
export function formatLibsvm(data: Dataset): string {
  const out: string[] = [];
  for (let r = 0; r < data.n; r++) {
    let s = String(data.y[r]);
    for (let j = 0; j < data.p; j++) {
      const v = data.X[r * data.p + j]!;
      if (v !== 0) s += ` ${j + 1}:${v}`;
    }
    out.push(s);
  }
  return out.join("\n") + "\n";
}
