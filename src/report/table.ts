// The plain result table every report function consumes, and its shape check (data may come from JSON).
import { FedquantError } from "../errors.js";

export type Cell = string | number;

export interface Table {
  columns: string[];
  rows: Cell[][];
}

/** Throws a FedquantError when `table` is not a rectangular table of strings and numbers. */
export function checkTable(table: Table, what = "table"): void {
  if (table === null || typeof table !== "object" || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
    throw new FedquantError("E_INPUT", `${what}: expected { columns: string[]; rows: (string|number)[][] }, found ${describe(table)}`);
  }
  table.columns.forEach((c, j) => {
    if (typeof c !== "string") throw new FedquantError("E_INPUT", `${what}: column ${j} name must be a string, found ${describe(c)}`);
  });
  const width = table.columns.length;
  table.rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new FedquantError("E_INPUT", `${what}: row ${i} must be an array, found ${describe(row)}`);
    if (row.length !== width) {
      throw new FedquantError("E_DIM", `${what}: row ${i} has ${row.length} cells, expected ${width} (one per column)`);
    }
    row.forEach((cell, j) => {
      if (typeof cell !== "string" && typeof cell !== "number") {
        throw new FedquantError("E_INPUT", `${what}: row ${i}, column "${table.columns[j]}" must be a string or a number, found ${describe(cell)}`);
      }
    });
  });
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}
