// Loading the wasm from a caller-given source (src/kernel/load.ts): bytes, file URLs and file
// paths, relative ones included; a missing file is E_WASM naming the fix.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKernel } from "../../src/kernel/index.js";

const file = "build/fedquant.scalar.wasm"; // relative to the package root, where vitest runs

describe("loadKernel({ source })", () => {
  it.each([
    ["a relative file path", file],
    ["an absolute file path", resolve(file)],
    ["a file: URL", pathToFileURL(resolve(file))],
    ["the bytes", readFileSync(file)],
  ])("loads the kernel from %s", async (_what, source) => {
    const k = await loadKernel({ flavour: "scalar", source: { scalar: source } });
    expect(k.flavour).toBe("scalar");
    expect(k.dot(Float32Array.of(1, 2), Float32Array.of(3, 4))).toBe(11);
  });

  it("a missing file is E_WASM that says to build the kernel", async () => {
    await expect(loadKernel({ flavour: "scalar", source: { scalar: "build/nope.wasm" } })).rejects.toThrow(/E_WASM.*build\/nope\.wasm.*npm run build:wasm/);
  });
});
