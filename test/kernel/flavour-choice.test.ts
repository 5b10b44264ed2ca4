// ready({ flavour }) choices (issue #9 item 4): "fastest" resolves to the relaxed-SIMD build only
// where the engine validates a relaxed probe (Node 20 needs --experimental-wasm-relaxed-simd),
// else to the deterministic SIMD build; QSGD bytes are the SIMD build's either way; an unknown
// choice is E_CONFIG, never a silent fallback.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKernel, pickFlavour, ready, relaxedSimdSupported, simdSupported } from "../../src/kernel/index.js";

const child = fileURLToPath(new URL("./fixtures/fastest-child.ts", import.meta.url));
const run = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, "--import", "tsx", child],
  { encoding: "utf8", timeout: 120_000 })) as { flavour: string; qsgdSameBytes: boolean; stovoqDecodesFinite: boolean };

describe("kernel flavour choice", () => {
  it("\"auto\" and \"fastest\" never pick relaxed SIMD where the engine does not validate it", () => {
    expect(simdSupported()).toBe(true); // Node ≥ 20 validates SIMD
    expect(pickFlavour("auto")).toBe("simd");
    expect(pickFlavour("fastest")).toBe(relaxedSimdSupported() ? "relaxed" : "simd");
  });

  it("\"fastest\" loads the relaxed build in a Node started with relaxed SIMD on, with QSGD bytes unchanged", () => {
    const r = run(["--experimental-wasm-relaxed-simd"]);
    expect(r).toEqual({ flavour: "relaxed", qsgdSameBytes: true, stovoqDecodesFinite: true });
  });

  it("\"fastest\" falls back to the deterministic SIMD build in a Node without relaxed SIMD", () => {
    const r = run(["--no-experimental-wasm-relaxed-simd"]);
    expect(r.flavour).toBe("simd");
  });

  it.each([["a misspelt name", "fast"], ["another type", 3], ["an empty string", ""]])("an unknown flavour (%s) is E_CONFIG", async (_what, f) => {
    await ready(); // a loaded default kernel must not swallow the bad choice
    await expect(ready({ flavour: f as never })).rejects.toThrow(/E_CONFIG.*flavour must be one of "simd", "scalar", "relaxed", "auto", "fastest"/);
    await expect(loadKernel({ flavour: f as never })).rejects.toThrow(/E_CONFIG/);
  });
});
