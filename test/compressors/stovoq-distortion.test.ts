// Experiment E1 (issue #3 item 5): the per-bucket baselines keep the bit split of the E1 table
// and are unbiased where claimed; the runner reports distortion that behaves as theory says
// (unbiased methods average out as 1/K, deterministic ones do not) at exact bit counts; the
// report writes table, JSON, CSV, SVG and HTML.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readBuckets, writeBuckets, type BucketQuantizer } from "../../src/compressors/stovoq-buckets.js";
import { FedquantError } from "../../src/errors.js";
import { DISTORTION_METHODS, runDistortion, type DistortionRow } from "../../src/experiments/distortion.js";
import { CrossPolytopeQuantizer, QsgdTernaryQuantizer, RandKQuantizer, SignQuantizer, TopKQuantizer } from "../../src/experiments/distortion-quantizers.js";
import { writeDistortionReport } from "../../src/experiments/distortion-report.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";

beforeAll(async () => { useKernel(await loadKernel({ flavour: "simd" })); });

const roundTrip = (q: BucketQuantizer, x: Float32Array, nb: number, rng: RandomStream) => {
  const p = writeBuckets(q, q.encode(x, nb, rng.clone()), nb);
  return { y: q.decode(readBuckets(q, p.bytes, p.bits, nb, q.kind), nb, rng.clone()), bits: p.bits };
};

describe("E1 baselines", () => {
  it("keep the E1 bit split per 16-dim bucket (plus one float32 per message)", () => {
    const x = RandomStream.of(1, "test").normals(16 * 10);
    const cases: [BucketQuantizer, number][] = [
      [new SignQuantizer(16, 4), 20], [new TopKQuantizer(16, 2, 4), 16], [new RandKQuantizer(16, 2, 8), 16],
      [new CrossPolytopeQuantizer(16, 2, 6), 16], [new QsgdTernaryQuantizer(16, 6), 26 + 6],
    ];
    for (const [q, perBucket] of cases) expect(roundTrip(q, x, 10, RandomStream.of(2, "compress")).bits).toBe(32 + 10 * perBucket);
  });

  it("top-2 keeps the two largest coordinates (to the 4-bit grid) and zeroes the rest", () => {
    const x = new Float32Array(16); x[3] = -5; x[9] = 4; x[1] = 1;
    const { y } = roundTrip(new TopKQuantizer(16, 2, 4), x, 1, RandomStream.of(3, "compress"));
    expect(y[3]).toBeCloseTo(-5, 5);
    expect(Math.abs(y[9]! - 4)).toBeLessThan(5 / 7 / 2 + 1e-6);
    expect(y.filter((v) => v !== 0).length).toBe(2);
  });

  // 3000 compressions of one 16-dim x: each coordinate's mean within 5 standard errors
  // (Bonferroni over 16 coordinates: false alarm < 16 · 5.7e-7).
  it.each([["rand-2", () => new RandKQuantizer(16, 2, 8)], ["cross-polytope", () => new CrossPolytopeQuantizer(16, 2, 6)], ["QSGD s=1", () => new QsgdTernaryQuantizer(16, 6)]] as const)(
    "%s is unbiased", (_, make) => {
      const q = make(), n = 3000;
      // two buckets so that the per-message grid is not trivially exact for the first one
      const x = RandomStream.of(4, "test").normals(32);
      const s = new Float64Array(32), s2 = new Float64Array(32);
      for (let t = 0; t < n; t++) {
        const { y } = roundTrip(q, x, 2, RandomStream.of(5, "compress", t));
        for (let i = 0; i < 32; i++) { s[i] += y[i]!; s2[i] += y[i]! ** 2; }
      }
      for (let i = 0; i < 32; i++) {
        const m = s[i]! / n, se = Math.sqrt((s2[i]! / n - m * m) / n);
        expect(Math.abs(m - x[i]!)).toBeLessThanOrEqual(5 * se + 1e-6);
      }
    });

  it("reject corrupt codes with E_DECODE", () => {
    const q = new QsgdTernaryQuantizer(16, 6);
    expect(() => q.decode({ floats: new Float32Array([1]), codes: new Uint32Array([3 ** 16 + 5]) }, 1)).toThrow(FedquantError);
    const cp = new CrossPolytopeQuantizer(16, 2, 6);
    expect(() => cp.decode({ floats: new Float32Array([NaN]), codes: new Uint32Array([0]) }, 1)).toThrow(/E_DECODE/);
  });
});

describe("E1 runner", () => {
  let rows: DistortionRow[];
  beforeAll(() => {
    rows = runDistortion({ d: 16, buckets: 8, messages: 6, K: [1, 20], seed: 1, methods: ["sign", "rand2", "stovoq", "stovoq-grvq"] });
  });
  const row = (m: string, K: number) => rows.find((r) => r.method === m && r.K === K)!;

  it("reports one row per method and K with exact bits per bucket", () => {
    expect(rows.length).toBe(8);
    expect(row("stovoq", 1).bitsPerBucket).toBe(16 + 32 / 8);
    expect(row("stovoq-grvq", 20).bitsPerBucket).toBe(16);
    expect(row("sign", 1).bitsPerBucket).toBe(20 + 32 / 8);
  });

  it("splits the total into colinear + orthogonal parts", () => {
    for (const r of rows) expect(r.colinear + r.orthogonal).toBeCloseTo(r.total, 9);
  });

  it("averages unbiased StoVoQ errors as 1/K (K = 20 within 25% of K = 1 / 20) and leaves deterministic sign unchanged", () => {
    // unbiased & independent: E‖x − Q̄_K‖² = E‖x − Q‖²/K exactly; 25% covers the sampling error of 48 buckets
    expect(row("stovoq", 20).total / (row("stovoq", 1).total / 20)).toBeGreaterThan(0.75);
    expect(row("stovoq", 20).total / (row("stovoq", 1).total / 20)).toBeLessThan(1.25);
    expect(row("sign", 20).total).toBeCloseTo(row("sign", 1).total, 10);
    // grvq is biased: averaging keeps its colinear error
    expect(row("stovoq-grvq", 20).colinear).toBeGreaterThan(0.5 * row("stovoq-grvq", 1).colinear);
  });

  it("is reproducible from its seed", () => {
    const again = runDistortion({ d: 16, buckets: 8, messages: 6, K: [1, 20], seed: 1, methods: ["stovoq"] });
    expect(again[0]!.total).toBe(row("stovoq", 1).total);
  });

  it("rejects unknown methods and bad sizes", () => {
    expect(() => runDistortion({ d: 16, buckets: 8, messages: 6, K: [1], seed: 1, methods: ["zip"] })).toThrow(/E_CONFIG.*zip/);
    expect(() => runDistortion({ d: 16, buckets: 8, messages: 1, K: [1], seed: 1 })).toThrow(/E_CONFIG/);
    expect(DISTORTION_METHODS.length).toBe(14);
  });

  it("writes the table, JSON, CSV, SVG chart and HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-e1-"));
    const { paths, text } = await writeDistortionReport(dir, rows, { d: 16, buckets: 8, messages: 6, K: [1, 20], seed: 1 });
    expect(paths.map((p) => p.split(".").pop())).toEqual(["json", "csv", "svg", "html"]);
    expect(readFileSync(paths[2]!, "utf8")).toMatch(/^<svg/);
    expect(readFileSync(paths[1]!, "utf8").split("\n")[0]).toContain("bits/bucket");
    expect(JSON.parse(readFileSync(paths[0]!, "utf8")).meta.experiment).toBe("E1");
    expect(text).toContain("StoVoQ (2^13, 3 radius bits)");
  });
});
