// The client pool in a browser (issue #13): a page built with Vite runs the same small runs with
// 1, 2 and 3 threads in headless Chromium, the clients of the extra threads in Web Workers
// (src/federation/pool/web-worker.ts, the same serve.ts as Node's workers), awaited by
// simulateAsync(). Every iterate, loss, bit count and message digest must equal the one-thread
// run's, and — least squares has no exp or log, so no engine rounds differently — Node's own
// simulate() of the same run. Then the federated samplers: chains whose clients are on Web Workers
// (webSamplerWorkers, `await chain.stepAsync()`) against the one-thread chain, in the page and in
// Node. Skipped (with a message) without Chromium, except under CI=true.
import { mkdtempSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic } from "../helpers/static-server.js";
import { ready } from "../../src/kernel/index.js";
import { simulate } from "../../src/federation/simulator.js";
import { CI, findChromium, missingBrowserMessage, noteSkip } from "../helpers/chromium.js";
import { ALGORITHMS, THREADS, fnv, problem, type RunSummary } from "./pool-web/problem.js";
import { SAMPLER_CASES, SAMPLER_STEPS, SAMPLER_THREADS, SAVE_AT, SEED, digesting, samplerProblem, traceChain } from "./pool-web/sampler-problem.js";
import type { SamplerPageResult, SamplerRun } from "./pool-web/samplers.js";
import { webSamplerWorkers } from "../../src/federation/pool/web-samplers.js";
import { encodeState } from "../../src/sampling/index.js";

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

  /** The page, loaded once: it runs the optimisers, then the samplers (both `it`s read it). */
  let loading: Promise<{ page: Page; errors: string[] }> | undefined;
  const opened = () => (loading ??= (async () => {
    const p = await browser!.newPage();
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await p.goto(`${base}/index.html`);
    return { page: p, errors };
  })());

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("2 and 3 threads give the one-thread run bit for bit (every iterate, loss, bit count, message), and Node's simulate()", async () => {
    const { page, errors } = await opened();
    await page.waitForFunction(() => (window as unknown as { poolResult?: unknown }).poolResult !== undefined, null, { timeout: 90_000 });
    const res = await page.evaluate(() => (window as unknown as { poolResult: { runs: RunSummary[]; workersMade: number; defaultFactory?: RunSummary; error?: string } }).poolResult);
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
  it("federated samplers on Web Workers (awaited chain): QLSD++, QLSD*, QLSD# with 2 and 3 threads give the one-thread chain bit for bit, resume from a checkpoint, and equal Node's chains", async () => {
    const { page, errors } = await opened();
    await page.waitForFunction(() => (window as unknown as { samplerResult?: unknown }).samplerResult !== undefined, null, { timeout: 110_000 });
    const got = await page.evaluate(() => (window as unknown as { samplerResult: { result?: SamplerPageResult; error?: string } }).samplerResult);
    expect(got.error, `page errors: ${errors.join(" | ")}`).toBeUndefined();
    const res = got.result!;
    // T − 1 Web Workers per chain: the extra threads really were workers
    expect(res.workersMade).toBe(SAMPLER_CASES.length * SAMPLER_THREADS.reduce((a, t) => a + t - 1, 0));
    expect(res.resumed.workersMade).toBe(2 + 1);

    for (const name of SAMPLER_CASES) {
      // the reference: Node's one-thread chain (the Gaussian toy has no exp or log), and the
      // envelopes of Node's pool without workers
      const alg = samplerProblem(name);
      const plain = alg.init({ seed: SEED });
      const node: SamplerRun = { name, threads: 0, ...(await traceChain(plain, SAMPLER_STEPS)), saved: fnv(2166136261, encodeState(plain.save())) };
      const sink = { digest: 2166136261, messages: 0 };
      const one = alg.init({ seed: SEED, parallel: digesting(webSamplerWorkers(1), sink) });
      await traceChain(one, SAMPLER_STEPS);
      one.close?.();
      expect(sink.messages, `${name}: messages`).toBeGreaterThan(0);

      const mine = res.runs.filter((r) => r.name === name);
      expect(mine.map((r) => r.threads)).toEqual([0, 1, ...SAMPLER_THREADS]);
      for (const r of mine) {
        const what = `${name}, ${r.threads === 0 ? "plain chain" : `${r.threads} threads`}`;
        expect(r.thetas).toHaveLength(SAMPLER_STEPS);
        r.thetas.forEach((th, k) => sameFloats(node.thetas[k]!, th, `${what}: θ_${k + 1}`));
        expect(r.bits, `${what}: bits`).toEqual(node.bits);
        expect(r.saved, `${what}: checkpoint bytes`).toBe(node.saved);
        if (r.threads > 0) expect({ digest: r.digest, messages: r.messages }, `${what}: every envelope`).toEqual(sink);
      }
    }

    // saved at step SAVE_AT with 3 threads: the rest of the uninterrupted chain, with 2 threads and plain
    const full = await traceChain(samplerProblem(SAMPLER_CASES[0]).init({ seed: SEED }), SAMPLER_STEPS);
    for (const [what, t] of [["resumed with 2 threads", res.resumed.two], ["resumed plain from the checkpoint's bytes", res.resumed.plainFromBytes]] as const) {
      expect(t.thetas).toHaveLength(SAMPLER_STEPS - SAVE_AT);
      t.thetas.forEach((th, k) => sameFloats(full.thetas[SAVE_AT + k]!, th, `${what}: θ_${SAVE_AT + k + 1}`));
      expect(t.bits, `${what}: bits`).toEqual(full.bits.slice(SAVE_AT));
    }

    expect(res.samples.async.map((s) => [s[0], s[1]])).toEqual([[0, 4], [1, 6], [2, 8]]);
    res.samples.sync.forEach((s, i) => { expect(res.samples.async[i]!.slice(0, 2)).toEqual(s.slice(0, 2)); sameFloats(s[2], res.samples.async[i]![2], `sample ${i}`); });
    res.defaultFactory.thetas.forEach((th, k) => sameFloats(full.thetas[k]!, th, `the package's own worker: θ_${k + 1}`));
    expect(res.syncStep.code).toBe("E_CONFIG");
    expect(res.syncStep.message).toMatch(/await chain\.stepAsync\(\)/);
  }, 150_000);
});
