// fedquant/tfjs in a real browser (headless Chromium, playwright-core): the page (browser/app.ts,
// bundled with esbuild) picks TF.js's backend by availability — webgl, else wasm, else cpu —
// runs federated rounds through tfjsObjective + simulate there and again on cpu, and the two
// must agree within the arithmetic tolerance of the backend (below). A second page removes webgl
// to exercise the fallback to wasm. The browser's cpu run must also equal Node's cpu run.
// Skipped (noted) without Chromium, failing under CI=true (test/helpers/chromium.ts).
import { serveStatic } from "../helpers/static-server.js";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/index.js";
import { CI, findChromium, missingBrowserMessage, noteSkip } from "../helpers/chromium.js";
import { federatedRounds, GAMMA, ROUNDS } from "./browser/rounds.js";
import { backend } from "./setup.js";

const CHROME = findChromium();
if (!CHROME && !CI) noteSkip(missingBrowserMessage("test/tfjs/browser.test.ts"));
if (!CHROME && CI) describe("fedquant/tfjs in headless Chromium", () => { it("has a browser to run in (CI=true)", () => { throw new Error(missingBrowserMessage("test/tfjs/browser.test.ts")); }); });

const REPO = resolve(import.meta.dirname, "../..");
const serve = serveStatic;

interface Run { algorithm: string; finalW: number[]; moved: number }
interface PageResult { ok: boolean; error?: string; chosen: string; webglAvailable: boolean; webgl?: { version: number; float32: boolean }; onChosen: Run[]; onCpu: Run[] }

const maxDiff = (a: number[], b: number[]) => { expect(a.length).toBe(b.length); return a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]!)), 0); };

/**
 * How far the chosen backend may be from cpu after ROUNDS rounds.
 * - cpu: the same JavaScript kernels, so 0.
 * - wasm (XNNPACK) and webgl with float32 textures: float32 arithmetic in another summation order
 *   (and, on webgl, GLSL's exp/log). One gradient coordinate is a sum of ≲ 10³ products of O(1)
 *   terms, so a reordering moves it by ≲ 10³ · 2^-24 ≈ 6e-5 relative to the largest term; with
 *   |g| ≲ 1 and γ = 0.1 a round moves a weight by ≤ 6e-6, and ROUNDS = 6 rounds (the map is
 *   ≈ 1-Lipschitz at this small γ) by ≤ 4e-5. 1e-4 covers that and still fails a wrong batch,
 *   layout or backend mix-up, which moves weights by ~γ|g| ≈ 1e-2 (checked by `moved`).
 * - webgl without float32 render targets computes in float16 (2^-11 relative), 2^13 × coarser:
 *   the same bound scaled is ≈ 0.3, of the order of the moves themselves, so it is not compared
 *   (the test then says so rather than passing vacuously).
 */
function tolerance(r: PageResult): number | undefined {
  if (r.chosen === "cpu") return 0;
  if (r.chosen === "wasm" || (r.chosen === "webgl" && r.webgl?.float32)) return 1e-4;
  return undefined;
}

describe.skipIf(!CHROME)("fedquant/tfjs in headless Chromium", () => {
  let out = "", http: Server | undefined, url = "", browser: Browser | undefined;
  let node: Run[] = [];
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "fedquant-tfjs-browser-"));
    await esbuild.build({ entryPoints: [join(REPO, "test/tfjs/browser/app.ts")], bundle: true, platform: "browser", format: "esm", outfile: join(out, "app.js"), logLevel: "error" });
    for (const f of readdirSync(join(REPO, "build")).filter((f) => f.endsWith(".wasm"))) cpSync(join(REPO, "build", f), join(out, f));
    const tfw = join(REPO, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
    for (const f of readdirSync(tfw).filter((f) => f.endsWith(".wasm"))) cpSync(join(tfw, f), join(out, f));
    cpSync(join(REPO, "test/tfjs/browser/index.html"), join(out, "index.html"));
    ({ server: http, url } = await serve(out));
    browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"] });
    await ready();
    const tf = await backend("cpu");
    node = federatedRounds(tf);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    http?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function open(query: string): Promise<PageResult> {
    const page = await browser!.newPage();
    try {
      await page.goto(url + query);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 150_000 });
      const r = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
      expect(r.error).toBeUndefined();
      return r;
    } finally { await page.close(); }
  }

  function compare(r: PageResult): void {
    const tol = tolerance(r);
    expect(r.onChosen.map((x) => x.algorithm)).toEqual(r.onCpu.map((x) => x.algorithm));
    for (let i = 0; i < r.onCpu.length; i++) {
      expect(r.onCpu[i]!.moved).toBeGreaterThan(GAMMA * 1e-2); // the rounds did train
      // the browser's cpu backend runs the same JavaScript as Node's: equal up to V8's Math.exp/log, which are the same code
      expect(maxDiff(r.onCpu[i]!.finalW, node[i]!.finalW)).toBeLessThanOrEqual(1e-6);
      if (tol === undefined) {
        console.warn(`webgl without float32 render targets: the ${ROUNDS} rounds on webgl are not compared with cpu (float16)`);
        continue;
      }
      expect(maxDiff(r.onChosen[i]!.finalW, r.onCpu[i]!.finalW)).toBeLessThanOrEqual(tol);
    }
  }

  it("\"auto\" picks webgl when the page can make a WebGL context (else wasm), and its rounds equal the cpu backend's", async () => {
    const r = await open("");
    console.log(`chosen backend: ${r.chosen}; webgl available: ${r.webglAvailable}; ${JSON.stringify(r.webgl ?? {})}; ` +
      `max |w_chosen − w_cpu|: ${r.onChosen.map((x, i) => maxDiff(x.finalW, r.onCpu[i]!.finalW).toExponential(2)).join(", ")}`);
    expect(r.chosen).toBe(r.webglAvailable ? "webgl" : "wasm");
    compare(r);
  }, 200_000);

  it("without webgl, \"auto\" falls back to wasm, whose rounds equal the cpu backend's within float32 reordering", async () => {
    const r = await open("?no-webgl");
    console.log(`max |w_wasm − w_cpu|: ${r.onChosen.map((x, i) => maxDiff(x.finalW, r.onCpu[i]!.finalW).toExponential(2)).join(", ")}`);
    expect(r.chosen).toBe("wasm");
    compare(r);
  }, 200_000);
});
