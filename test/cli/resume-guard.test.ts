// `run --resume` / `sample --resume` on a folder another config wrote: refused with E_STATE before
// any work, naming what changed (issue #14); the folder's results stay as they were.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { writeStamp } from "../../src/experiments/config-stamp.js";
import { parseE4Config } from "../../src/experiments/e4-config.js";

const dir = mkdtempSync(join(tmpdir(), "fedquant-resume-guard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function cli(...args: string[]): Promise<{ code: number; err: string }> {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { lines.push(a.join(" ")); });
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { lines.push(String(s)); return true; });
  const code = await runCli(["node", "fedquant", ...args], { exitOverride: true });
  return { code, err: lines.join("\n") };
}

const tiny = (iterations: number) => ({
  name: "guard", problem: { kind: "synthetic-lsr", workers: 3, perWorker: 10, dim: 4, seed: 1 }, iterations,
  algorithms: [{ name: "sgd" }, { name: "diana" }],
});
const write = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };

describe("--resume on a folder written by another config", () => {
  it("run: E_STATE naming the changed field, nothing run, the earlier results untouched; the same config resumes", async () => {
    const out = join(dir, "run-out");
    expect((await cli("run", write("a.json", tiny(3)), "--out", out, "--quiet")).code).toBe(0);
    const before = readFileSync(join(out, "guard", "guard.json"), "utf8");
    const r = await cli("run", write("b.json", tiny(4)), "--out", out, "--quiet", "--resume");
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/fedquant: E_STATE: --resume \(.*b\.json\): .*guard holds results of a different config \("guard"\).*changed: iterations: 3 → 4/);
    expect(r.err).toContain("Run without --resume to start over in that folder, or give another --out");
    expect(r.err).not.toMatch(/reusing|running all/); // refused before the resume note, i.e. before any work
    expect(readFileSync(join(out, "guard", "guard.json"), "utf8")).toBe(before);
    expect((await cli("run", write("a2.json", tiny(3)), "--out", out, "--quiet", "--resume")).code).toBe(0);
    // without --resume another config may start over in the folder
    expect((await cli("run", write("b2.json", tiny(4)), "--out", out, "--quiet")).code).toBe(0);
  });

  it("sample: E_STATE before any chain starts; the folder gains no file", async () => {
    const out = join(dir, "sample-out");
    // the folder of the same experiment run with another seed
    const cfg = parseE4Config(JSON.parse(readFileSync("examples/e4-gaussian.json", "utf8")), { quick: true, source: "x" });
    writeStamp(out, { ...cfg, seed: 12345 }, "e4-gaussian");
    const r = await cli("sample", "examples/e4-gaussian.json", "--quick", "--resume", "--out", out, "--quiet");
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(new RegExp(String.raw`fedquant: E_STATE: --resume \(examples\/e4-gaussian\.json\): .* holds results of a different config \("e4-gaussian"\).*changed: seed: 12345 → ${cfg.seed}\. Nothing was run`));
    expect(readdirSync(out)).toEqual([".fedquant-config.json"]);
  });
});
