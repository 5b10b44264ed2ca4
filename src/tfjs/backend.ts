// Which TF.js backend fedquant/tfjs trains on. Node: "cpu" (pure JS, in @tensorflow/tfjs) or
// "wasm" (@tensorflow/tfjs-backend-wasm, which ships its .wasm in the package) — never
// tfjs-node, which downloads a native binary at install. Browsers: "webgl" where a WebGL context
// can be made, else "wasm", else "cpu". Both cpu and wasm get fedquant's Conv2DBackpropFilter
// kernel (conv-filter-grad.ts): wasm has none, cpu's is the slowest op of a CNN's gradient.
// The default in Node is the one measured faster per CNN round (docs/tfjs.md "Backends").
import * as tf from "@tensorflow/tfjs-core";
import { FedquantError } from "../errors.js";
import { installConvFilterGrad } from "./conv-filter-grad.js";

export type TfBackend = "cpu" | "wasm" | "webgl";

/** The Node default, from the measurement in docs/tfjs.md. */
export const NODE_DEFAULT_BACKEND: TfBackend = "wasm";

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

/** The backends to try in order for "auto". */
export function backendPreference(): TfBackend[] {
  return isNode ? [NODE_DEFAULT_BACKEND, NODE_DEFAULT_BACKEND === "cpu" ? "wasm" : "cpu"] : ["webgl", "wasm", "cpu"];
}

/**
 * Switches TF.js to `name` (or the first available of backendPreference() for "auto") and
 * returns the backend in use. The backend's package must be imported by the caller first
 * (`@tensorflow/tfjs` registers cpu and webgl, `@tensorflow/tfjs-backend-wasm` registers wasm):
 * fedquant never imports a backend itself, so an app bundles only what it uses.
 */
export async function useBackend(name: TfBackend | "auto" = "auto"): Promise<TfBackend> {
  const candidates = name === "auto" ? backendPreference() : [name];
  for (const b of candidates) {
    if (!["cpu", "wasm", "webgl"].includes(b)) throw new FedquantError("E_CONFIG", `useBackend: expected "cpu", "wasm", "webgl" or "auto", got ${JSON.stringify(b)}`);
    if (tf.findBackendFactory(b) === null) {
      if (name !== "auto") throw new FedquantError("E_CONFIG", `useBackend: the TF.js backend "${b}" is not registered (import @tensorflow/tfjs${b === "wasm" ? "-backend-wasm" : ""} first)`);
      continue;
    }
    let ok = false;
    try { ok = await tf.setBackend(b); } catch { ok = false; }
    if (!ok) {
      if (name !== "auto") throw new FedquantError("E_CONFIG", `useBackend: the TF.js backend "${b}" failed to initialise here`);
      continue;
    }
    await tf.ready();
    if (b === "cpu" || b === "wasm") installConvFilterGrad(b);
    return b;
  }
  throw new FedquantError("E_CONFIG", `useBackend: none of ${candidates.join(", ")} is registered and working`);
}
