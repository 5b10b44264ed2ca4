// The demo end to end in a real browser (headless Chromium driven by playwright-core): build it
// with Vite, serve it on 127.0.0.1, run 20 rounds of federated MNIST with the clients in Web
// Workers, and check that the loss fell, that the bits the page shows are the bits the clients
// counted, and that both equal the in-process simulator's run of the same session in Node. A
// second test makes browser tabs (and a Node process) the clients of a Node server. Skipped (with a message) when
// no Chromium is found, except under CI=true where that fails; CI installs it (.ci/run).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { mnistDigits } from "../../src/data/mnist-node.js";
import { simulate } from "../../src/federation/simulator.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { serveFederation } from "../../src/federation/transport/server-node.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { formatBits } from "../../demo/src/format.js";
import { CI, findChromium, missingBrowserMessage, noteSkip } from "../helpers/chromium.js";

// Chromium from $CHROMIUM_PATH, playwright-core's lookup or /usr/bin/chromium; under CI=true a
// missing browser fails this file instead of skipping it (test/helpers/chromium.ts).
const CHROMIUM = findChromium();
const hasChromium = CHROMIUM !== undefined;
if (!hasChromium && !CI) noteSkip(missingBrowserMessage("test/demo/e2e.test.ts"));
if (!hasChromium && CI) {
  describe("the demo in headless Chromium", () => {
    it("has a browser to run in (CI=true)", () => { throw new Error(missingBrowserMessage("test/demo/e2e.test.ts")); });
  });
}

const MIME: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
  ".bin": "application/octet-stream", ".json": "application/json",
};

/** A static file server for the built demo, confined to its directory. */
function serveStatic(root: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root + sep) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

interface DemoState {
  state: string; error?: string;
  runs: { session: SessionSpec; initialLoss: number; finalW: number[]; reports: { outcome: { loss: number }; bitsUp: number; bitsDown: number }[] }[];
  join?: { state: string; client?: number; bitsUp: number; bitsDown: number; bitsUpRejected: number; summary?: { loss: number }; message?: string };
}
const demoState = (page: Page): Promise<DemoState> => page.evaluate(() => (window as unknown as { fedquantDemo: DemoState }).fedquantDemo);

describe.skipIf(!hasChromium)("the demo in headless Chromium", () => {
  let outDir = "";
  let http: Server | undefined;
  let base = "";
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ready();
    outDir = mkdtempSync(join(tmpdir(), "fedquant-demo-"));
    await build({ configFile: resolve("demo/vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    ({ server: http, base } = await serveStatic(outDir));
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function open(query: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
    await page.goto(`${base}/index.html?${query}`);
    return page;
  }

  it("runs 20 rounds in Web Workers: the loss falls, the bits shown are the bits counted, and both match the simulator", async () => {
    const page = await open("problem=mnist&clients=4&labels=3&count=1000&seed=1&algorithm=artemis&up=qsgd&down=qsgd&gamma=0.5&batch=32&rounds=20&pace=0");
    await page.click("#start");
    await page.waitForFunction(() => ["done", "failed"].includes((window as unknown as { fedquantDemo: DemoState }).fedquantDemo.state), null, { timeout: 50_000 });
    const s = await demoState(page);
    expect(s.error, `page errors: ${pageErrors.join(" | ")}`).toBeUndefined();
    expect(s.state).toBe("done");
    const run = s.runs[0]!;
    expect(run.reports).toHaveLength(20);
    const losses = run.reports.map((r) => r.outcome.loss);
    expect(losses.at(-1)!).toBeLessThan(run.initialLoss);

    // the bits shown, as the server counted them and as the clients counted them
    const shown = async (id: string): Promise<{ value: number; text: string }> => ({
      value: Number(await page.getAttribute(`#${id}`, "data-value")), text: (await page.textContent(`#${id}`))!.trim(),
    });
    const [up, down, wUp, wDown] = await Promise.all(["c-bits-up", "c-bits-down", "c-workers-up", "c-workers-down"].map(shown));
    const counted = { up: run.reports.reduce((a, r) => a + r.bitsUp, 0), down: run.reports.reduce((a, r) => a + r.bitsDown, 0) };
    expect(up!.value).toBe(counted.up);
    expect(down!.value).toBe(counted.down);
    expect(wUp!.value).toBe(counted.up);
    expect(wDown!.value).toBe(counted.down);
    expect(up!.text).toBe(formatBits(counted.up));
    expect(down!.text).toBe(formatBits(counted.down));

    // the same session in Node's in-process simulator: same losses, same bits, bit for bit
    const d = await createAlgorithmRoundDriver(run.session, { evaluate: false, loadDigits: (count, seed) => mnistDigits({ count, seed }) });
    const sim = simulate({ algorithm: d.checked.algorithm, objective: d.problem.objective, workers: d.problem.shards, iterations: 20, batchSize: d.checked.batchSize, seed: d.checked.seed });
    // the trajectory itself is identical: the final model bit for bit. The loss values are
    // compared to 1e-14 relative: V8 versions (Node's and Chromium's) may round Math.exp / log
    // differently in the last place, and F(w) is a sum of logs of exps
    expect(run.finalW).toEqual(Array.from(sim.finalW));
    losses.forEach((l, k) => expect(Math.abs(l - sim.loss[k + 1]!)).toBeLessThanOrEqual(1e-14 * Math.abs(l)));
    expect(counted.up).toBe(sim.bitsUp.at(-1));
    expect(counted.down).toBe(sim.bitsDown.at(-1));

    mkdirSync("test-artifacts", { recursive: true });
    await page.screenshot({ path: "test-artifacts/demo.png", fullPage: false });
    if (process.env.FEDQUANT_UPDATE_SCREENSHOT === "1") {
      // the README's picture: the same problem with uncompressed SGD next to it, to compare bits
      await page.selectOption("#algorithm", "sgd");
      await page.click("#start");
      await page.waitForFunction(() => (window as unknown as { fedquantDemo: DemoState }).fedquantDemo.runs.length === 2
        && ["done", "failed"].includes((window as unknown as { fedquantDemo: DemoState }).fedquantDemo.state), null, { timeout: 50_000 });
      await page.screenshot({ path: "test-artifacts/demo-readme.png", fullPage: false });
      copyFileSync("test-artifacts/demo-readme.png", "docs/demo.png");
    }
    await page.close();
  });

  it("lets browser tabs join a Node server as clients, next to a Node client, with the simulator's trajectory", async () => {
    const session: SessionSpec = {
      algorithm: "mcm", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 4, bucket: 512 } }, down: { name: "qsgd", params: { s: 4, bucket: 512 } } },
      problem: { kind: "mnist", clients: 3, count: 600, labelsPerClient: 4, seed: 2 }, seed: 9, rounds: 8, batchSize: 16,
    };
    const loadDigits = (count: number, seed: number) => mnistDigits({ count, seed });
    const driver = await createAlgorithmRoundDriver(session, { loadDigits });
    const tokens = ["tab-zero-token", "tab-one-token", "node-two-token"];
    const srv = await serveFederation(driver, { tokens, deadlineMs: 30_000, maxFrameBytes: 1 << 22 });
    try {
      const pages = await Promise.all(tokens.slice(0, 2).map((t) => open(`join=${encodeURIComponent(srv.url)}&token=${t}`)));
      const node = joinFederationNode(srv.url, { token: tokens[2]!, factory: algorithmParticipantFactory({ loadDigits }) });
      const done = await srv.finished;
      const nodeResult = await node.result;
      for (const p of pages) {
        await p.waitForFunction(() => ["done", "failed"].includes((window as unknown as { fedquantDemo: DemoState }).fedquantDemo.join?.state ?? ""), null, { timeout: 20_000 });
      }
      const joins = await Promise.all(pages.map(async (p) => (await demoState(p)).join!));
      expect(joins.map((j) => j.state), joins.map((j) => j.message).join(" | ")).toEqual(["done", "done"]);
      expect([...joins.map((j) => j.client), nodeResult.client].sort()).toEqual([0, 1, 2]);
      expect(done.reports).toHaveLength(8);
      expect(joins.reduce((a, j) => a + j.bitsUp - j.bitsUpRejected, nodeResult.bitsUp - nodeResult.bitsUpRejected)).toBe(done.bitsUp);
      expect(joins.reduce((a, j) => a + j.bitsDown, nodeResult.bitsDown)).toBe(done.bitsDown);
      for (const j of joins) expect(j.summary!.loss).toBe(done.reports.at(-1)!.outcome.loss);
      // browser clients and a Node client together: still the simulator's run, bit for bit
      const d = await createAlgorithmRoundDriver(session, { evaluate: false, loadDigits });
      const sim = simulate({ algorithm: d.checked.algorithm, objective: d.problem.objective, workers: d.problem.shards, iterations: 8, batchSize: d.checked.batchSize, seed: d.checked.seed });
      expect(Array.from(driver.server.model)).toEqual(Array.from(sim.finalW));
      await Promise.all(pages.map((p) => p.close()));
    } finally {
      await srv.close();
    }
  });
});
