// Argument checks shared by the objectives: cheap O(1) (or O(|rows|)) guards run once per call,
// so the inner loops can index without bounds checks of their own.
import { FedquantError } from "../errors.js";
import type { Dataset } from "./types.js";

/** Throws E_DIM unless w (and out) have length dim and the data have p features. */
export function checkShapes(name: string, dim: number, p: number, w: Float64Array, data: Dataset, out?: Float64Array): void {
  if (w.length !== dim) throw new FedquantError("E_DIM", `${name}: w has length ${w.length}, expected dim = ${dim}`);
  if (out !== undefined && out.length !== dim) throw new FedquantError("E_DIM", `${name}: out has length ${out.length}, expected dim = ${dim}`);
  if (data.p !== p) throw new FedquantError("E_DIM", `${name}: data has p = ${data.p} features, the model expects ${p}`);
  if (data.X.length !== data.n * data.p || data.y.length !== data.n) {
    throw new FedquantError("E_DIM", `${name}: dataset arrays do not match n = ${data.n}, p = ${data.p} (X has ${data.X.length}, y has ${data.y.length})`);
  }
}

/**
 * The number of rows a call averages over (|rows| or n), after checking every index is an
 * integer in [0, n): a bad index would otherwise read `undefined` and turn the loss into NaN.
 */
export function rowCount(name: string, data: Dataset, rows?: ArrayLike<number>): number {
  const n = data.n;
  if (rows === undefined) {
    if (n === 0) throw new FedquantError("E_DIM", `${name}: the dataset has no rows, a mean over 0 rows is undefined`);
    return n;
  }
  const m = rows.length;
  if (m === 0) throw new FedquantError("E_DIM", `${name}: rows is empty, a mean over 0 rows is undefined`);
  for (let k = 0; k < m; k++) {
    const r = rows[k]!;
    if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new FedquantError("E_DIM", `${name}: rows[${k}] = ${r} is not a row index in [0, ${n})`);
  }
  return m;
}

/** Throws E_INPUT unless label y of row r is an integer class index in [0, classes). */
export function badClassLabel(name: string, r: number, label: number, classes: number): never {
  throw new FedquantError("E_INPUT", `${name}: row ${r} has label ${label}, expected a class index in 0..${classes - 1}`);
}

export function checkRidge(name: string, ridge: number): number {
  if (!(Number.isFinite(ridge) && ridge >= 0)) throw new FedquantError("E_CONFIG", `${name}: ridge must be a finite number ≥ 0, got ${ridge}`);
  return ridge;
}

export function checkPositiveInt(name: string, what: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new FedquantError("E_CONFIG", `${name}: ${what} must be an integer ≥ 1, got ${v}`);
  return v;
}
