// The one error type of fedquant: every failure a user can cause carries a stable code.
export type FedquantErrorCode =
  | "E_DIM"        // a dimension or length does not match what was expected
  | "E_DECODE"     // untrusted bytes are malformed (truncated, wrong magic, out of range …)
  | "E_CONFIG"     // a configuration or parameter is invalid
  | "E_INPUT"      // input values are unusable (NaN, ±Inf)
  | "E_NOT_READY"  // the wasm kernel was used before `await ready()`
  | "E_WASM"       // the wasm kernel could not be loaded or instantiated
  | "E_DATA"       // a data file is malformed or missing
  | "E_IO"         // reading or writing a file failed
  | "E_PROTOCOL"   // a network peer broke the round protocol
  | "E_STATE";     // an operation is not valid in the current state

export class FedquantError extends Error {
  readonly code: FedquantErrorCode;
  constructor(code: FedquantErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = "FedquantError";
    this.code = code;
  }
}

export function fail(code: FedquantErrorCode, message: string): never {
  throw new FedquantError(code, message);
}
