// The README's examples are real code: extract each marked block, point its import at src/, run it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const readme = readFileSync(resolve(__dirname, "../README.md"), "utf8");

async function runBlock(name: string): Promise<{ code: string; logs: string }> {
  const m = new RegExp(`<!-- example:${name}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  expect(m, `README must contain the ${name} example block`).not.toBeNull();
  const code = m![1]!.replace(/from "fedquant"/g, `from ${JSON.stringify(resolve(__dirname, "../src/index.ts"))}`)
    .replace(/from "fedquant\/tfjs"/g, `from ${JSON.stringify(resolve(__dirname, "../src/tfjs/index.ts"))}`);
  const dir = resolve(__dirname, "../test-artifacts");
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `readme-${name}.ts`);
  writeFileSync(file, code);
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(" ")); };
  try { await import(file); } finally { console.log = orig; }
  return { code: m![1]!, logs: logs.join("\n") };
}

it("the README usage example (at most 10 lines) runs and prints bits per coordinate", async () => {
  const { code, logs } = await runBlock("usage");
  expect(code.split("\n").filter((l) => l.trim()).length).toBeLessThanOrEqual(10);
  expect(logs).toMatch(/bits\/coord/);
});

it("the README sampling example runs and its posterior-mean error is small", async () => {
  const { logs } = await runBlock("sampling");
  const m = /posterior mean error ([0-9.e+-]+), ([0-9.]+) bits\/client\/step/.exec(logs);
  expect(m, logs).not.toBeNull();
  // posterior sd is 1/√500 ≈ 0.045 per coordinate; 3000 correlated samples leave a Monte-Carlo
  // error of a few 1e-3 — 0.05 is about one posterior sd, a loose bound that a broken sampler fails
  expect(Number(m![1])).toBeLessThan(0.05);
});

it("the README TF.js example (15 lines) trains a TF.js model with Artemis + DoStoVoQ at about 1 bit/coordinate", async () => {
  const { code, logs } = await runBlock("tfjs");
  expect(code.split("\n").filter((l) => l.trim()).length).toBeLessThanOrEqual(15);
  const m = /loss ([0-9.]+) → ([0-9.]+), ([0-9.]+) bits\/coordinate up/.exec(logs);
  expect(m, logs).not.toBeNull();
  // the label is a function of the features, so 60 steps must cut the cross-entropy (log 2 ≈ 0.69 at start) clearly
  expect(Number(m![2])).toBeLessThan(0.8 * Number(m![1]));
  // DoStoVoQ: (13 + 3) bits per 16-coordinate bucket, ⌈178/16⌉ = 12 buckets, plus at most two 32-bit
  // scalars per message: between 16·11/178 ≈ 0.99 and (12·16 + 64)/178 ≈ 1.44 bits per coordinate
  expect(Number(m![3])).toBeGreaterThan(0.98);
  expect(Number(m![3])).toBeLessThanOrEqual(1.44);
});
