import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";
import { build } from "vite";
const MIME: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
const outDir = process.env.OUT ?? mkdtempSync(join(tmpdir(), "fq-dbg-"));
if (!process.env.OUT) await build({ configFile: resolve("demo/vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
console.log("built", outDir);
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = normalize(join(outDir, path === "/" ? "index.html" : path));
  if (!file.startsWith(outDir + sep) || !existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: Number(process.env.W ?? 1440), height: 1000 } });
page.on("console", (m) => console.log("console", m.type(), m.text()));
page.on("request", (r) => { if (process.env.REQ) console.log("req", r.url()); });
page.on("pageerror", (e) => console.log("pageerror", e.message, e.stack));
await page.goto(`${base}/index.html?${process.env.Q ?? "problem=logistic&clients=3&rounds=5&pace=0"}`);
await page.click("#start");
const t0 = Date.now();
for (let i = 0; i < Number(process.env.SECS ?? 30); i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const s = await page.evaluate(() => { const d = (window as any).fedquantDemo; return { state: d.state, error: d.error, reports: d.runs[0]?.reports.length, status: document.getElementById("status")!.textContent, log: document.getElementById("log")!.textContent?.slice(0, 500) }; });
  console.log(((Date.now() - t0) / 1000).toFixed(0), JSON.stringify(s));
  if (["done", "failed", "stopped"].includes(s.state)) break;
}
if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT, fullPage: true });
if (process.env.EVAL) console.log(await page.evaluate(process.env.EVAL));
await browser.close(); server.close();
