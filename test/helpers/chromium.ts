// Where the browser end-to-end tests find Chromium: $CHROMIUM_PATH, else playwright-core's own
// lookup (a browser `npx playwright install` placed), else the usual system paths (Debian's
// `chromium`). Under CI=true a missing browser is a failing test, never a silent skip.
import { existsSync, appendFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const CI = process.env.CI === "true";

export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : undefined;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch { /* playwright-core has no browser of its own here */ }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
}

export function missingBrowserMessage(file: string): string {
  const env = process.env.CHROMIUM_PATH;
  return `${file}: no Chromium found (${env ? `CHROMIUM_PATH=${env} does not exist` : "CHROMIUM_PATH unset"}, none from playwright-core, ` +
    "none at /usr/bin/chromium). CI installs Debian's chromium (.ci/run); locally: apt-get install -y chromium, or set CHROMIUM_PATH";
}

/**
 * Records why a test file skips, for the closing line of `npm test` (scripts/test-summary.mjs reads
 * test-artifacts/skipped.txt); one line per reason.
 */
export function noteSkip(reason: string): void {
  try {
    mkdirSync("test-artifacts", { recursive: true });
    appendFileSync("test-artifacts/skipped.txt", reason.replace(/\n/g, " ") + "\n");
  } catch { /* the note is for humans; a read-only tree must not fail the tests */ }
  console.warn(`SKIPPED ${reason}`);
}
