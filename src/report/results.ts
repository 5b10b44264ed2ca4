// Results as files (JSON + CSV) and as a console table; the numbers every experiment writes out.
import { FedquantError } from "../errors.js";
import { formatNumber } from "./format.js";
import { checkTable, type Table } from "./table.js";

export interface ResultsData extends Table {
  /** Anything that identifies the run (config, seeds, version); written to the JSON only. */
  meta?: unknown;
}

/** RFC 4180 CSV with a header line; numbers at full precision so the file re-reads exactly. */
export function toCsv(table: Table): string {
  checkTable(table);
  checkUniqueColumns(table);
  const lines = [table.columns.map(csvField), ...table.rows.map((row) => row.map(csvField))];
  return lines.map((cells) => cells.join(",")).join("\n") + "\n";
}

function csvField(cell: string | number): string {
  if (typeof cell === "number") return String(cell); // NaN, Infinity, -Infinity stay readable
  // Leading/trailing spaces are quoted too: many readers trim unquoted fields.
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * JSON text of the results. Non-finite numbers become the strings "NaN", "Infinity", "-Infinity":
 * JSON.stringify would turn them into null and a diverged run would read as a missing value.
 */
export function toResultsJson(data: ResultsData): string {
  checkTable(data);
  checkUniqueColumns(data);
  const body: Record<string, unknown> = {};
  if (data.meta !== undefined) body.meta = data.meta;
  body.columns = data.columns;
  body.rows = data.rows;
  try {
    return JSON.stringify(body, jsonReplacer, 2) + "\n";
  } catch (err) {
    throw new FedquantError("E_INPUT", `results meta is not serializable to JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** A results file's column names are its field names: a repeat makes a CSV reader drop or rename one. */
function checkUniqueColumns(table: Table): void {
  const seen = new Set<string>();
  for (const c of table.columns) {
    if (seen.has(c)) throw new FedquantError("E_INPUT", `results: column "${c}" appears twice; column names are the CSV/JSON field names and must be unique`);
    seen.add(c);
  }
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

export interface FormatTableOptions {
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
}

/**
 * A fixed-width text table for the console: numeric columns right-aligned so magnitudes line up,
 * text columns left-aligned, a dashed rule under the header.
 */
export function formatTable(table: Table, options: FormatTableOptions = {}): string {
  checkTable(table);
  const digits = options.digits ?? 4;
  const cells = table.rows.map((row) => row.map((c) => (typeof c === "number" ? formatNumber(c, digits) : oneLine(c))));
  const numeric = table.columns.map((_, j) => table.rows.length > 0 && table.rows.every((r) => typeof r[j] === "number"));
  const header = table.columns.map(oneLine);
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: string[]) =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

// A newline inside a cell would break the grid.
function oneLine(s: string): string {
  return s.replace(/\r?\n|\r/g, " ");
}
