// `--kernel <flavour>` (every command): which wasm build runs the kernels. A misspelt flavour is an
// E_CONFIG listing the accepted ones (with "did you mean"), before any work; an engine that cannot
// run the chosen build fails in ready() with E_WASM.
import { FedquantError } from "../errors.js";
import { ready, type FlavourChoice } from "../kernel/index.js";
import { didYouMean } from "./validate/suggest.js";

export const FLAVOURS = ["auto", "simd", "scalar", "relaxed", "fastest"] as const;
export const KERNEL_HELP = "wasm kernel build: auto (SIMD when the engine has it), simd, scalar, relaxed (relaxed SIMD) or fastest (relaxed where the engine validates it, else auto)";

export function parseFlavour(s: unknown): FlavourChoice {
  if (typeof s === "string" && (FLAVOURS as readonly string[]).includes(s)) return s as FlavourChoice;
  const shown = typeof s === "string" ? `"${s}"` : `a ${typeof s}`;
  throw new FedquantError("E_CONFIG", `--kernel must be one of ${FLAVOURS.join(", ")}; got ${shown}${typeof s === "string" ? didYouMean(s, FLAVOURS) : ""}`);
}

/** Loads the chosen build as the kernel every later `ready()` returns. */
export async function useFlavour(s: unknown): Promise<void> {
  const f = parseFlavour(s);
  if (f !== "auto") await ready({ flavour: f });
}
