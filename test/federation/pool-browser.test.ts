// The client pool in a browser (issue #13): a page built with Vite runs the same small runs with
// 1, 2 and 3 threads in headless Chromium, the clients of the extra threads in Web Workers
// (src/federation/pool/web-worker.ts, the same serve.ts as Node's workers), awaited by
// simulateAsync(). Every iterate, loss, bit count and message digest must equal the one-thread
// run's, and — least squares has no exp or log, so no engine rounds differently — Node's own
// simulate() of the same run. Skipped (with a message) without Chromium, except under CI=true.
import { mkdtempSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic } from "../helpers/static-server.js";
import { ready } from "../../src/kernel/index.js";
import { simulate } from "../../src/federation/simulator.js";
import { CI, findChromium, missingBrowserMessage, noteSkip } from "../helpers/chromium.js";
import { ALGORITHMS, THREADS, fnv, problem, type RunSummary } from "./pool-web/problem.js";

const CHROMIUM = findChromium();
if (!CHROMIUM && !CI) noteSkip(missingBrowserMessage("test/federation/pool-browser.test.ts"));
if (!CHROMIUM && CI) {
  describe("the client pool in headless Chromium", () => {
    it("has a browser to run in (CI=true)", () => { throw new Error(missingBrowserMessage("test/federation/pool-browser.test.ts")); });
  });
}


/** Bitwise equality of float arrays, saying where they differ. */
function sameFloats(a: readonly number[], b: readonly number[], what: string): void {
  expect(b.length, what).toBe(a.length);
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) expect.fail(`${what} differs at ${j}: ${a[j]} vs ${b[j]}`);
}

function sameSummary(a: RunSummary, b: RunSummary): void {
  const what = `${b.algorithm} with ${b.threads} threads`;
  sameFloats(a.finalW, b.finalW, `${what}: final model`);
  sameFloats(a.loss, b.loss, `${what}: loss`);
  for (const k of ["bitsUp", "bitsDown", "wireBitsUp", "wireBitsDown"] as const) expect(b[k], `${what}: ${k}`).toEqual(a[k]);
  expect(b.messages, `${what}: messages`).toBe(a.messages);
  expect(b.digest, `${what}: digest of every message`).toBe(a.digest);
}

describe.skipIf(!CHROMIUM)("the client pool in headless Chromium (Web Workers)", () => {
  let outDir = "", base = "";
  let http: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    await ready();
    outDir = mkdtempSync(join(tmpdir(), "fedquant-pool-web-"));
    await build({
      configFile: false, root: resolve("test/federation/pool-web"), base: "./", logLevel: "warn",
      worker: { format: "es" }, build: { outDir, emptyOutDir: true, target: "es2022" },
    });
    ({ server: http, base } = await serveStatic(outDir));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("2 and 3 threads give the one-thread run bit for bit (every iterate, loss, bit count, message), and Node's simulate()", async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => (window as unknown as { poolResult?: unknown }).poolResult !== undefined, null, { timeout: 90_000 });
    const res = await page.evaluate(() => (window as unknown as { poolResult: { runs: RunSummary[]; workersMade: number; defaultFactory?: RunSummary; error?: string } }).poolResult);
    await page.close();
    expect(res.error, `page errors: ${errors.join(" | ")}`).toBeUndefined();
    expect(res.runs).toHaveLength(ALGORITHMS.length * THREADS.length);
    // T − 1 workers per run: the extra threads really were Web Workers
    expect(res.workersMade).toBe(ALGORITHMS.length * THREADS.reduce((a, t) => a + t - 1, 0));

    // the package's default worker (web-worker.ts bundled by Vite from `new Worker(new URL(…))`)
    const first = res.runs.find((r) => r.algorithm === ALGORITHMS[0] && r.threads === 1)!;
    sameSummary({ ...first, messages: 0, digest: 0 }, res.defaultFactory!);

    for (const algorithm of ALGORITHMS) {
      const mine = res.runs.filter((r) => r.algorithm === algorithm);
      const one = mine.find((r) => r.threads === 1)!;
      expect(one.messages).toBeGreaterThan(0);
      for (const r of mine) sameSummary(one, r);

      // the reference: Node's one-thread simulate() of the same run
      let digest = 2166136261, messages = 0;
      const sim = simulate({
        ...problem(algorithm), threads: 1,
        onIteration: (i) => { for (const id of i.active) { digest = fnv(fnv(digest, i.downlinks.get(id)!), i.uplinks.get(id)!); messages += 2; } },
      });
      sameSummary({
        algorithm, threads: 1, finalW: Array.from(sim.finalW), loss: sim.loss, bitsUp: sim.bitsUp, bitsDown: sim.bitsDown,
        wireBitsUp: sim.wireBitsUp, wireBitsDown: sim.wireBitsDown, messages, digest,
      }, one);
    }
  }, 120_000);
});
