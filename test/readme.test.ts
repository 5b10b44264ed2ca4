// The README's usage example is real code: extract it, point its import at src/, run it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

it("the README usage example runs and prints bits per coordinate", async () => {
  const readme = readFileSync(resolve(__dirname, "../README.md"), "utf8");
  const m = /<!-- example:usage[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  expect(m, "README must contain the usage example block").not.toBeNull();
  const code = m![1]!.replace(/from "fedquant"/g, `from ${JSON.stringify(resolve(__dirname, "../src/index.ts"))}`);
  expect(code.split("\n").filter((l) => l.trim()).length).toBeLessThanOrEqual(10);
  const dir = resolve(__dirname, "../test-artifacts");
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, "readme-example.ts");
  writeFileSync(file, code);
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(" ")); };
  try { await import(file); } finally { console.log = orig; }
  expect(logs.join("\n")).toMatch(/bits\/coord/);
});
