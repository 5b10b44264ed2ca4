// The default wasm URL under Vite's dev server: pre-bundled dependencies run from
// node_modules/.vite/deps/, so the package's build/ is found through node_modules/fedquant/.
import { describe, expect, it } from "vitest";
import { viteDevUrl } from "../../src/kernel/load.js";

describe("viteDevUrl", () => {
  it("maps a module pre-bundled by Vite (with its ?v= query) to node_modules/fedquant/build", () => {
    expect(viteDevUrl("http://127.0.0.1:5173/node_modules/.vite/deps/fedquant.js?v=1a2b3c", "simd")?.href)
      .toBe("http://127.0.0.1:5173/node_modules/fedquant/build/fedquant.simd.wasm");
    expect(viteDevUrl("http://h/app/node_modules/.vite/deps_temp_9f3e/chunk-ABC.js", "scalar")?.href)
      .toBe("http://h/app/node_modules/fedquant/build/fedquant.scalar.wasm");
  });

  it("leaves every other module URL alone (built bundles, Node, an unbundled package)", () => {
    for (const u of ["http://h/assets/index-Dbd7.js", "file:///x/node_modules/fedquant/dist/kernel/load.js", "http://h/node_modules/fedquant/dist/kernel/load.js"]) {
      expect(viteDevUrl(u, "simd")).toBeUndefined();
    }
  });
});
