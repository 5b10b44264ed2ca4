// E1 additions of issue #11 item 6: the radius grid over [min ρ, max ρ], HSQ with a shared codebook,
// the Delaunay row beside HSQ-span, the paper's cells beside ours, the ℓ2-scaled sign, and the
// correlated-workers study. Expectations come from identities and closed forms, not from the
// runner's own output.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runDistortion, type DistortionRow } from "../../src/experiments/distortion.js";
import { runCorrelation, type CorrelationRow } from "../../src/experiments/distortion-correlation.js";
import { PAPER_E1, paperTable } from "../../src/experiments/distortion-paper.js";
import { writeDistortionReport } from "../../src/experiments/distortion-report.js";
import { SignQuantizer } from "../../src/experiments/distortion-quantizers.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";

beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });

const CFG = { d: 16, buckets: 16, messages: 8, K: [1, 8], seed: 3 };

describe("E1 rows of issue #11", () => {
  let rows: DistortionRow[];
  beforeAll(() => {
    rows = runDistortion({ ...CFG, methods: ["sign", "sign-l2", "rand2", "hsq-span", "delaunay", "hsq-greedy", "hsq-greedy-shared", "stovoq", "stovoq-minmax"] });
  });
  const row = (m: string, K: number) => rows.find((r) => r.method === m && r.K === K)!;

  it("counts the minmax grid's extra float32: 32 more bits per message", () => {
    expect(row("stovoq-minmax", 1).bitsPerBucket - row("stovoq", 1).bitsPerBucket).toBe(32 / CFG.buckets);
    expect(row("delaunay", 1).bitsPerBucket).toBe(16 + 32 / CFG.buckets);
    expect(row("delaunay", 1).unbiased).toBe(true);
  });

  it("the minmax grid lowers the colinear (radius) error: its rounding variance (ρ − ρ_l)(ρ_{l+1} − ρ) shrinks with the step", () => {
    // 16 messages × 64 buckets, one compression each: se ≈ 0.02 per row, the gap ≈ 0.07 at full size
    const r = runDistortion({ d: 16, buckets: 64, messages: 16, K: [1], seed: 3, methods: ["stovoq", "stovoq-minmax"] });
    const [a, b] = [r[0]!, r[1]!];
    expect(b.colinear + 2 * Math.hypot(a.colinearSe, b.colinearSe)).toBeLessThan(a.colinear);
  });

  it("a shared HSQ codebook makes K compressions identical, so averaging leaves the K = 1 error (the paper's K = 20 ≈ K = 1)", () => {
    expect(row("hsq-greedy-shared", 8).total).toBeCloseTo(row("hsq-greedy-shared", 1).total, 10);
    // with fresh codebooks the orthogonal part averages out
    expect(row("hsq-greedy", 8).orthogonal).toBeLessThan(0.5 * row("hsq-greedy", 1).orthogonal);
  });

  it("Delaunay is unbiased (K = 8 error ≈ K = 1 error / 8) and its error is far below HSQ-span's", () => {
    const r = row("delaunay", 8).total / (row("delaunay", 1).total / 8);
    // 128 buckets per estimate: the ratio's sampling error is ~15%; 40% is > 2.5 of it
    expect(r).toBeGreaterThan(0.6);
    expect(r).toBeLessThan(1.4);
    expect(row("delaunay", 1).total + 4 * row("delaunay", 1).totalSe).toBeLessThan(0.5 * row("hsq-span", 1).total);
  });

  it("rand-2 sits above the floor (d/k − 1)·E‖x‖² = 7d of any unbiased rand-2 (the paper's 102.8 is below it)", () => {
    expect(row("rand2", 1).total + 4 * row("rand2", 1).totalSe).toBeGreaterThan(7 * 16);
  });

  it("the ℓ1 sign scale ‖x‖₁/d minimises ‖x − a·sign x‖², so the ℓ2/√d scale can only do worse", () => {
    // same signs, same data: per bucket the error is ‖x‖² − 2a‖x‖₁ + d·a², minimised at a = ‖x‖₁/d
    expect(row("sign-l2", 1).total).toBeGreaterThan(row("sign", 1).total);
  });

  it("prints every quoted paper cell beside our value, with a reason", () => {
    const t = paperTable(rows);
    expect(t.rows.length).toBe(PAPER_E1.filter((c) => CFG.K.includes(c.K)).length);
    for (const r of t.rows) expect(String(r[4]).length).toBeGreaterThan(20);
  });
});

describe("ℓ2-scaled sign", () => {
  it("uses the scale ‖x‖₂/√d on its grid (one bucket: the grid top is the scale itself)", () => {
    const x = RandomStream.of(4, "test").normals(16);
    const q = new SignQuantizer(16, 4, "l2");
    const y = q.decode(q.encode(x, 1), 1);
    const a = Math.hypot(...x) / 4;
    for (let i = 0; i < 16; i++) expect(Math.abs(y[i]!)).toBeCloseTo(a, 5);
  });
});

describe("correlated workers", () => {
  let corr: CorrelationRow[];
  const C = { d: 16, buckets: 16, messages: 6, workers: 8, correlations: [0, 1], seed: 3, methods: ["sign", "stovoq"] };
  beforeAll(() => { corr = runCorrelation(C); });
  const at = (m: string, c: number) => corr.find((r) => r.method === m && r.correlation === c)!;

  it("at correlation 1 every worker holds x = z, so a deterministic quantizer's average is its single-shot error (E1 on the same data)", () => {
    // E1 draws x from (seed, "data", m, 0), the stream of z: same vectors, and sign is deterministic
    const e1 = runDistortion({ d: 16, buckets: 16, messages: 6, K: [1], seed: 3, methods: ["sign"] });
    expect(at("sign", 1).total).toBeCloseTo(e1[0]!.total, 9);
    // uncorrelated inputs: the errors of different vectors are not aligned, so they average down
    expect(at("sign", 0).total).toBeLessThan(0.5 * at("sign", 1).total);
  });

  it("an unbiased quantizer with independent codebooks gives (1/K)·E‖Q(x) − x‖² whatever the correlation", () => {
    const e1 = runDistortion({ d: 16, buckets: 16, messages: 6, K: [1], seed: 3, methods: ["stovoq"] })[0]!;
    for (const c of [0, 1]) {
      const r = at("stovoq", c);
      // 96 buckets × 8 workers per estimate; 5 combined standard errors
      expect(Math.abs(r.total - e1.total / 8)).toBeLessThan(5 * Math.hypot(r.totalSe, e1.totalSe / 8));
    }
  });

  it("rejects correlations outside [0, 1] with E_CONFIG", () => {
    expect(() => runCorrelation({ ...C, correlations: [1.5] })).toThrow(/E_CONFIG/);
  });

  it("writes the correlation table, CSV and chart beside the E1 report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-e1c-"));
    const rows = runDistortion({ d: 16, buckets: 4, messages: 2, K: [1], seed: 3, methods: ["sign", "stovoq"] });
    const { paths, text } = await writeDistortionReport(dir, rows, { d: 16, buckets: 4, messages: 2, K: [1], seed: 3 }, { rows: corr, cfg: C });
    expect(paths.map((p) => p.split("/").pop())).toEqual(["distortion.json", "distortion.csv", "distortion.svg", "distortion.html",
      "distortion-correlation.json", "distortion-correlation.csv", "distortion-correlation.svg"]);
    expect(readFileSync(paths[6]!, "utf8")).toMatch(/^<svg/);
    expect(readFileSync(paths[3]!, "utf8")).toContain("Against the paper");
    expect(text).toContain("6.97");
  });
});
