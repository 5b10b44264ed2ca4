// Argument checks shared by the chart functions, so every chart rejects bad sizes the same way.
import { FedquantError } from "../errors.js";

export function checkTitle(fn: string, title: unknown): void {
  if (typeof title !== "string") throw new FedquantError("E_CONFIG", `${fn}: a title string is required, found ${typeof title}`);
}

/** Pixel sizes: a typo such as 5000000 would make vega allocate a huge scenegraph. */
export function checkPixels(fn: string, key: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 50 && v <= 10_000)) {
    throw new FedquantError("E_CONFIG", `${fn}: ${key} must be a number of pixels in [50, 10000], found ${String(v)}`);
  }
}
