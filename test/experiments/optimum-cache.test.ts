// The F* cache (issue #11 item 8): its key names the solver, so an entry computed by another
// solver (or another version of it) is never reused.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optimumSolver } from "../../src/experiments/optimum.js";
import { buildProblem, optimumCacheKey, ProblemSchema } from "../../src/experiments/problems.js";
import { leastSquares, logistic } from "../../src/models/index.js";

describe("F* cache key", () => {
  const cfg = ProblemSchema.parse({ kind: "synthetic-logistic", workers: 4, perWorker: 20, seed: 3 });

  it("changes with the solver and only with it (same config, objective and data)", () => {
    const out = mkdtempSync(join(tmpdir(), "fedquant-fstar-"));
    const p = buildProblem(cfg, { cacheDir: out });
    const key = optimumCacheKey(cfg, p.objective, p.workers);
    expect(readdirSync(out)).toEqual([`${key}.json`]); // the entry buildProblem wrote is this key
    expect(optimumCacheKey(cfg, p.objective, p.workers, optimumSolver(p.objective))).toBe(key);
    expect(optimumCacheKey(cfg, p.objective, p.workers, "another-solver@v1")).not.toBe(key);
  });

  it("names a different solver for each objective family, with a version", () => {
    const names = [optimumSolver(leastSquares({ p: 2 })), optimumSolver(logistic({ p: 2 }))];
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect(n).toMatch(/@v\d+$/);
  });

  it("the two synthetic-logistic generators are two problems (two entries)", () => {
    const out = mkdtempSync(join(tmpdir(), "fedquant-fstar-"));
    buildProblem(cfg, { cacheDir: out });
    buildProblem(ProblemSchema.parse({ ...cfg, generator: "independent" }), { cacheDir: out });
    expect(readdirSync(out)).toHaveLength(2);
  });
});
