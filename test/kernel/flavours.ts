// Both kernel flavours, loaded once per test file, so every kernel test runs against each.
import { loadKernel, type Kernel } from "../../src/kernel/index.js";

export const flavours = ["simd", "scalar"] as const;
export async function kernels(): Promise<Record<(typeof flavours)[number], Kernel>> {
  return { simd: await loadKernel({ flavour: "simd" }), scalar: await loadKernel({ flavour: "scalar" }) };
}
