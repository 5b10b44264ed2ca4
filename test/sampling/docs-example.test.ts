// The runnable example of docs/sampling.md is real code: extract it, point "fedquant" at
// src/index.ts, run it, and check its posterior-mean error against the run's Monte-Carlo tolerance.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

it("the docs/sampling.md example runs and estimates the posterior mean within its Monte-Carlo tolerance", async () => {
  const doc = readFileSync(resolve(__dirname, "../../docs/sampling.md"), "utf8");
  const m = /<!-- example:sampling -->\s*```ts\n([\s\S]*?)```/.exec(doc);
  expect(m, "docs/sampling.md must contain the example block").not.toBeNull();
  const dir = resolve(__dirname, "../../test-artifacts");
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, "sampling-docs-example.ts");
  writeFileSync(file, m![1]!.replace(/from "fedquant"/g, `from ${JSON.stringify(resolve(__dirname, "../../src/index.ts"))}`));
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(" ")); };
  try { await import(file); } finally { console.log = orig; }
  const err = Number(/max \|posterior mean error\| = (\S+)/.exec(logs.join("\n"))?.[1]);
  // posterior sd 1/√N = 1/√500; the chain is ≈ AR(1) with φ = 1 − γN = 0.8, ESS ≈ 3000·0.2/1.8 = 333,
  // so a coordinate's standard error is ≈ 0.045/√333 = 0.0025; the max over 5 coordinates < 4.5 se
  expect(err).toBeLessThan(4.5 * Math.sqrt(1 / 500 / 333));
  expect(logs.join("\n")).toMatch(/uplink bits per client per step = 62/); // 32-bit norm + 5 × 6-bit levels
});
