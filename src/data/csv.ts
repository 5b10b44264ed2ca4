// CSV parser, pure (strings in, Dataset out); the file reader is csv-node.ts. Numeric fields only;
// one column is the label, every other column is a feature.
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/types.js";
import { splitLines } from "./lines.js";

export interface CsvOptions {
  /** Label column: an index (negative counts from the end, −1 = last) or a header name. Default 0. */
  labelColumn?: number | string;
  /** true: the first non-blank line is a header; false: none; "auto" (default): a header iff it has a non-numeric field. */
  header?: boolean | "auto";
  /** Field separator, default ",". */
  delimiter?: string;
}

/** A CSV field as a number: surrounding spaces and one pair of double quotes are stripped. */
function field(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function isNumber(s: string): boolean {
  return s !== "" && Number.isFinite(Number(s));
}

export class CsvParser {
  private readonly delimiter: string;
  private readonly headerMode: boolean | "auto";
  private columns = -1;
  private labelIndex = -1;
  private lineNo = 0;
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  /** Column names when there was a header. */
  header: string[] | undefined;

  constructor(private readonly options: CsvOptions = {}, private readonly source = "csv") {
    this.delimiter = options.delimiter ?? ",";
    this.headerMode = options.header ?? "auto";
    if (this.delimiter === "") throw new FedquantError("E_CONFIG", `${source}: delimiter must not be empty`);
  }

  private fail(what: string): never {
    throw new FedquantError("E_DATA", `${this.source}: line ${this.lineNo}: ${what}`);
  }

  /** Resolves labelColumn once the column count (and header) is known. */
  private resolveLabel(): void {
    const lc = this.options.labelColumn ?? 0;
    let idx: number;
    if (typeof lc === "string") {
      if (this.header === undefined) this.fail(`labelColumn "${lc}" is a name but the file has no header`);
      idx = this.header.indexOf(lc);
      if (idx < 0) this.fail(`no column named "${lc}" in the header (${this.header.join(", ")})`);
    } else {
      idx = lc < 0 ? this.columns + lc : lc;
      if (!(Number.isInteger(lc) && idx >= 0 && idx < this.columns)) this.fail(`labelColumn ${lc} is outside the ${this.columns} columns`);
    }
    if (this.columns < 2) this.fail(`a row needs a label and at least one feature, found ${this.columns} column`);
    this.labelIndex = idx;
  }

  push(rawLine: string): void {
    this.lineNo++;
    if (rawLine.trim() === "") return;
    const fields = rawLine.split(this.delimiter).map(field);
    if (this.columns < 0) {
      this.columns = fields.length;
      const isHeader = this.headerMode === "auto" ? !fields.every(isNumber) : this.headerMode;
      if (isHeader) this.header = fields;
      this.resolveLabel();
      if (isHeader) return;
    }
    if (fields.length !== this.columns) this.fail(`found ${fields.length} fields, expected ${this.columns} like the first row`);
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c]!;
      if (!isNumber(f)) this.fail(`column ${c + 1} ("${f}") is not a finite number`);
      if (c === this.labelIndex) this.ys.push(Number(f));
      else this.xs.push(Number(f));
    }
  }

  finish(): Dataset {
    const p = Math.max(0, this.columns - 1);
    return { n: this.ys.length, p, X: Float64Array.from(this.xs), y: Float64Array.from(this.ys) };
  }
}

/** Parses CSV text (a whole string, or an iterable of lines). */
export function parseCsv(input: string | Iterable<string>, options: CsvOptions = {}): Dataset {
  const parser = new CsvParser(options);
  for (const line of typeof input === "string" ? splitLines(input) : input) parser.push(line);
  return parser.finish();
}
