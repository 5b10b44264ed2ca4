// Building and reshaping dense datasets: validation, row selection, bias column, label maps.
// The Dataset shape is the one of src/models/types.ts (a type-only import: no runtime coupling).
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/types.js";

export type { Dataset };

/** Throws E_CONFIG unless v is an integer ≥ 1 (sizes of generated data). */
export function positiveInt(what: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new FedquantError("E_CONFIG", `${what} must be an integer ≥ 1, got ${v}`);
  return v;
}

/** Throws E_CONFIG unless v is a finite number ≥ 0 (noise levels: NaN would poison every label). */
export function nonNegative(what: string, v: number): number {
  if (!(Number.isFinite(v) && v >= 0)) throw new FedquantError("E_CONFIG", `${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

/** A Dataset after checking X is n × p and y has n entries (E_DIM otherwise). */
export function makeDataset(n: number, p: number, X: Float64Array, y: Float64Array): Dataset {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(p) && p >= 0)) throw new FedquantError("E_DIM", `dataset: n and p must be integers ≥ 0, got n = ${n}, p = ${p}`);
  if (X.length !== n * p) throw new FedquantError("E_DIM", `dataset: X has ${X.length} entries, expected n·p = ${n}·${p} = ${n * p}`);
  if (y.length !== n) throw new FedquantError("E_DIM", `dataset: y has ${y.length} entries, expected n = ${n}`);
  return { n, p, X, y };
}

/** A new dataset of the given rows, in the given order (repeats allowed). */
export function selectRows(data: Dataset, rows: ArrayLike<number>): Dataset {
  const { p, n } = data;
  const m = rows.length;
  const X = new Float64Array(m * p), y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const r = rows[k]!;
    if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new FedquantError("E_DIM", `selectRows: rows[${k}] = ${r} is not a row index in [0, ${n})`);
    X.set(data.X.subarray(r * p, r * p + p), k * p);
    y[k] = data.y[r]!;
  }
  return { n: m, p, X, y };
}

/** The rows [start, end) as a new dataset. */
export function sliceRows(data: Dataset, start: number, end: number): Dataset {
  const { p, n } = data;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= n)) {
    throw new FedquantError("E_DIM", `sliceRows: [${start}, ${end}) is not a row range within [0, ${n}]`);
  }
  return { n: end - start, p, X: data.X.slice(start * p, end * p), y: data.y.slice(start, end) };
}

/** A copy with a constant 1 feature prepended to every row (data/README step 6): p → p + 1. */
export function prependBias(data: Dataset): Dataset {
  const { n, p } = data;
  const q = p + 1;
  const X = new Float64Array(n * q);
  for (let r = 0; r < n; r++) {
    X[r * q] = 1;
    X.set(data.X.subarray(r * p, r * p + p), r * q + 1);
  }
  return { n, p: q, X, y: Float64Array.from(data.y) };
}

/** All rows of several datasets with the same p, stacked in order. */
export function concatRows(parts: readonly Dataset[]): Dataset {
  if (parts.length === 0) throw new FedquantError("E_CONFIG", "concatRows: nothing to concatenate");
  const p = parts[0]!.p;
  let n = 0;
  for (const d of parts) {
    if (d.p !== p) throw new FedquantError("E_DIM", `concatRows: datasets have p = ${p} and p = ${d.p}`);
    n += d.n;
  }
  const X = new Float64Array(n * p), y = new Float64Array(n);
  let r = 0;
  for (const d of parts) { X.set(d.X, r * p); y.set(d.y, r); r += d.n; }
  return { n, p, X, y };
}

/**
 * Binary labels to ±1 (data/README step 2): 0 → −1, −1 and +1 kept; anything else is E_DATA
 * (a multi-class file passed to a binary experiment should fail loudly, not train nonsense).
 */
export function toPlusMinusOne(data: Dataset): Dataset {
  const y = new Float64Array(data.n);
  for (let r = 0; r < data.n; r++) {
    const v = data.y[r]!;
    if (v === 0 || v === -1) y[r] = -1;
    else if (v === 1) y[r] = 1;
    else throw new FedquantError("E_DATA", `toPlusMinusOne: row ${r} has label ${v}; expected binary labels 0/1 or −1/+1`);
  }
  return { n: data.n, p: data.p, X: data.X, y };
}
