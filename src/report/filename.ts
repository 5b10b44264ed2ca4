// Output file names are plain names inside the output directory: a name must not escape it.
import { FedquantError } from "../errors.js";

export function checkFileName(name: string, what: string): void {
  if (typeof name !== "string" || name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new FedquantError(
      "E_CONFIG",
      `${what}: expected a plain file name without path separators, found ${JSON.stringify(name)}`,
    );
  }
}
