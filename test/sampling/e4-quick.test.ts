// The --quick variants of the E4 configs (spec/experiments.md: "runs in CI in a reduced size"): each
// runs end to end in seconds and writes results, traces, figures and the HTML report; a second
// invocation with --resume reloads the finished chains from their checkpoints and reports the same.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseE4Config } from "../../src/experiments/e4-config.js";
import { runE4 } from "../../src/experiments/e4.js";

const root = mkdtempSync(join(tmpdir(), "fq-e4-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const load = (name: string, quick = true) => parseE4Config(JSON.parse(readFileSync(resolve(__dirname, `../../examples/${name}.json`), "utf8")), { quick, source: name });

describe.each(["e4-gaussian", "e4-logistic", "e4-bnn"])("%s --quick", (name) => {
  const out = join(root, name);
  let first: Awaited<ReturnType<typeof runE4>>;

  it("writes results, traces, SVG figures and the HTML report", async () => {
    first = await runE4(load(name), { out });
    for (const f of [`${name}.json`, `${name}.csv`, `${name}-trace.csv`, "report.html"]) expect(existsSync(join(out, f)), f).toBe(true);
    expect(first.files.filter((f) => f.endsWith(".svg")).length).toBeGreaterThanOrEqual(3);
    const res = JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")) as { rows: (string | number)[][]; columns: string[] };
    expect(res.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of res.rows) for (const cell of row) if (typeof cell === "number") expect(Number.isNaN(cell)).toBe(false);
  });

  it("resumes from its checkpoints to the same summary", async () => {
    const again = await runE4(load(name), { out, resume: true });
    const strip = (s: string) => s.split("\n").map((l) => l.replace(/\s+[\d.]+$/, "")).join("\n"); // the seconds column differs
    expect(strip(again.summary)).toBe(strip(first.summary));
  });
});

describe("E4 config validation (E_CONFIG)", () => {
  const base = JSON.parse(readFileSync(resolve(__dirname, "../../examples/e4-gaussian.json"), "utf8")) as Record<string, unknown>;
  it("names the wrong field and what was expected", () => {
    expect(() => parseE4Config({ ...base, stepSize: -1 })).toThrow(/E_CONFIG[\s\S]*stepSize/);
    expect(() => parseE4Config({ ...base, samplers: [{ algorithm: "qlsd9" }] })).toThrow(/E_CONFIG[\s\S]*samplers\.0\.algorithm/);
    expect(() => parseE4Config({ ...base, bogus: 1 })).toThrow(/E_CONFIG[\s\S]*bogus/);
    // before any sampling: otherwise the run only fails at its report, with empty trace charts
    expect(() => parseE4Config({ ...base, samples: 5, traceEvery: 10 })).toThrow(/E_CONFIG[\s\S]*traceEvery \(10\) must be at most samples \(5\)/);
  });
  it("refuses --quick without a quick section", () => {
    const { quick: _q, ...noQuick } = base;
    expect(() => parseE4Config(noQuick, { quick: true })).toThrow(/no "quick" section/);
  });
  it("applies the quick overrides key by key", () => {
    const q = parseE4Config(base, { quick: true });
    expect(q.experiment).toBe("e4-gaussian");
    if (q.experiment !== "e4-gaussian") return;
    expect(q.data.clients).toBe(5);
    expect(q.data.spread).toBe(5); // kept from the full config
  });
  it("every example config is valid, full and quick", () => {
    for (const n of ["e4-gaussian", "e4-logistic", "e4-logistic-shifted", "e4-bnn"]) { load(n, false); load(n, true); }
  });
});
