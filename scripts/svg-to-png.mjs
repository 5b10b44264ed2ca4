// Renders an SVG figure of a report to PNG in headless Chromium (README / docs images, e.g.
// docs/main-excess-vs-bits.png from `npm start`'s excess-vs-bits.svg):
//   node scripts/svg-to-png.mjs <in.svg> <out.png> [scale]
// Chromium: $CHROMIUM_PATH, else playwright-core's own, else /usr/bin/chromium.
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [input, output, scale = "2"] = process.argv.slice(2);
if (!input || !output) { console.error("usage: node scripts/svg-to-png.mjs <in.svg> <out.png> [scale]"); process.exit(1); }
const svg = readFileSync(input, "utf8");
const m = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
if (!m) { console.error(`${input}: no width/height on the <svg> element`); process.exit(1); }
const [width, height] = [Number(m[1]), Number(m[2])];
let executablePath = process.env.CHROMIUM_PATH;
if (!executablePath) { try { executablePath = chromium.executablePath(); } catch { /* none of its own */ } }
if (!executablePath || !existsSync(executablePath)) executablePath = "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath });
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: Number(scale) });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
  await page.screenshot({ path: output, clip: { x: 0, y: 0, width, height } });
} finally {
  await browser.close();
}
console.log(`${output}: ${width}×${height} px × ${scale}`);
