// The runner behind `fedquant run` / `npm start`: config validation, per-algorithm configs,
// the files it writes, the summary, and F* caching.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRunConfig } from "../../src/experiments/defaults.js";
import { e3Config } from "../../src/experiments/e3.js";
import { parseRunConfig, resolveGamma } from "../../src/experiments/run-config.js";
import { summarize, summaryTable, tailLog10 } from "../../src/experiments/run-report.js";
import { formatBits } from "../../src/report/format.js";
import { algorithmConfig, runExperiment } from "../../src/experiments/run.js";

const tmp = () => mkdtempSync(join(tmpdir(), "fedquant-run-"));

describe("run config", () => {
  it("examples/main-lsr-d100.json is exactly the built-in default of `npm start`", () => {
    const file = JSON.parse(readFileSync(join(__dirname, "../../examples/main-lsr-d100.json"), "utf8"));
    delete file.description;
    expect(parseRunConfig(file)).toEqual(parseRunConfig(defaultRunConfig));
  });

  it("names every invalid field with what was expected", () => {
    const bad = { ...defaultRunConfig, iterations: -3, problem: { kind: "synthetic-logistic", workers: 1 }, algorithms: [] };
    let msg = "";
    try { parseRunConfig(bad, "x.json"); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/^E_CONFIG: x.json is not a valid run config:/);
    for (const field of ["iterations: Too small", "problem.workers: Too small", "algorithms: Too small"]) expect(msg).toContain(field);
  });

  it("rejects unknown keys instead of silently ignoring a typo", () => {
    expect(() => parseRunConfig({ ...defaultRunConfig, iteratons: 5 })).toThrow(/E_CONFIG[\s\S]*iteratons/);
  });

  it("refuses two algorithm entries with the same label before running anything (E_CONFIG)", () => {
    const twice = { ...defaultRunConfig, algorithms: [{ name: "sgd" }, { name: "diana", label: "D" }, { name: "sgd" }] };
    expect(() => parseRunConfig(twice, "x.json")).toThrow(/E_CONFIG: x\.json: algorithms\.2 repeats the label "sgd"/);
    // the same algorithm twice is fine with distinct labels
    expect(() => parseRunConfig({ ...twice, algorithms: [{ name: "sgd" }, { name: "sgd", label: "SGD again" }] })).not.toThrow();
  });

  it("resolves γ from L: 1/L, 1/(2L) and multiples", () => {
    expect(resolveGamma("1/L", 4)).toBe(0.25);
    expect(resolveGamma("1/(2L)", 4)).toBe(0.125);
    expect(resolveGamma({ timesOneOverL: 3 }, 4)).toBe(0.75);
    expect(resolveGamma(0.1, 4)).toBe(0.1);
  });

  it("gives the run's compressors only to the links an algorithm compresses", () => {
    const cfg = parseRunConfig({ ...defaultRunConfig, up: { name: "qsgd", params: { s: 2 } } });
    const sgd = algorithmConfig(cfg, { name: "sgd" }, 2);
    expect(sgd.up).toBeUndefined();
    expect(sgd.down).toBeUndefined();
    const qsgd = algorithmConfig(cfg, { name: "qsgd" }, 2);
    expect(qsgd.up).toEqual({ name: "qsgd", params: { s: 2 } });
    expect(qsgd.down).toBeUndefined();
    const art = algorithmConfig(cfg, { name: "artemis", alpha: 0.3, down: { name: "sign", params: {} } }, 2);
    expect(art).toMatchObject({ gamma: 0.5, alpha: 0.3, up: { name: "qsgd" }, down: { name: "sign" } });
  });

  it("an algorithm named after its compressor keeps it: dostovoq-sgd is not given the run's qsgd", () => {
    const cfg = parseRunConfig(defaultRunConfig);
    expect(algorithmConfig(cfg, { name: "dostovoq-sgd" }, 2).up).toBeUndefined();
    expect(algorithmConfig(cfg, { name: "double-squeeze" }, 2).up).toEqual(cfg.up);
  });

  it("E3 uses the papers' ℓ2 s-quantization, s = 1 both ways and s = 2 with p = 0.5 under partial participation; -linf variants scale by max|x_i|", () => {
    expect(e3Config("synthetic-lsr", "full-batch").up).toEqual({ name: "qsgd", params: { s: 1, norm: "l2" } });
    const partial = e3Config("synthetic-lsr", "partial");
    expect(partial.participation).toBe(0.5);
    expect(partial.down).toEqual({ name: "qsgd", params: { s: 2, norm: "l2" } });
    expect(e3Config("synthetic-lsr", "partial-linf").down).toEqual({ name: "qsgd", params: { s: 2, norm: "linf" } });
    expect(e3Config("synthetic-logistic", "full-batch").problem).toMatchObject({ kind: "synthetic-logistic", generator: "authors" });
    expect(e3Config("synthetic-logistic-independent", "full-batch").problem).toMatchObject({ generator: "independent" });
    expect(parseRunConfig(defaultRunConfig).up).toEqual({ name: "qsgd", params: { s: 10, norm: "l2" } });
    expect(e3Config("phishing-noniid", "stochastic").batch).toBe(50);
  });
});

describe("summary", () => {
  it("reports the bits spent when the excess loss reaches the target for good, or none", () => {
    const rows = summarize([
      { label: "a", algorithm: "a", iterations: [0, 1, 2], excessLoss: [1, 1e-5, 1e-6], bitsUp: [0, 5, 10], bitsDown: [0, 5, 10], bitsTotal: [0, 10, 20], wireBitsTotal: [0, 20, 40], seconds: 1 },
      { label: "b", algorithm: "b", iterations: [0, 1], excessLoss: [1, 0.5], bitsUp: [0, 1], bitsDown: [0, 1], bitsTotal: [0, 2], wireBitsTotal: [0, 4], seconds: 1 },
    ], 1e-4);
    expect(rows[0]).toMatchObject({ bitsToTarget: 10, finalExcess: 1e-6, bitsTotal: 20 });
    expect(rows[1]!.bitsToTarget).toBeNull();
  });

  it("gives the plateau height: the mean of log10(F − F*) over the last quarter of the iterations, the floor for values below it", () => {
    const t = { label: "a", algorithm: "a", iterations: [0, 1, 2, 3, 4, 5, 6, 7, 8], excessLoss: [1, 1, 1, 1, 1, 1, 1e-2, 1e-4, 1e-6], bitsUp: [], bitsDown: [], bitsTotal: [], wireBitsTotal: [], seconds: 0 };
    expect(tailLog10(t)).toBeCloseTo(-4, 12); // k ≥ 8 − ⌊8/4⌋ = 6: (−2 − 4 − 6)/3
    expect(tailLog10({ ...t, excessLoss: [1, 1, 1, 1, 1, 1, -1e-20, 1e-16, 1e-16] })).toBeCloseTo(-16, 12);
  });

  it("shows an excess loss below the float64 floor (even a negative one) as such, not as a number", () => {
    const t = summaryTable([{ label: "a", finalExcess: -2e-16, bitsToTarget: 5, bitsTotal: 9, wireBitsTotal: 9, seconds: 1 }], 1e-4, 6e-16);
    expect(t.rows[0]![1]).toBe("< 6e-16 (float64 floor)");
    expect(summaryTable([{ label: "b", finalExcess: 3e-3, bitsToTarget: null, bitsTotal: 9, wireBitsTotal: 9, seconds: 1 }], 1e-4, 6e-16).rows[0]![1]).toBe(3e-3);
  });
});

describe("the default job (npm start)", () => {
  it("every compressed algorithm reaches the target with fewer wire bits (headers included) than SGD, and fewer payload bits", async () => {
    const out = tmp();
    const r = await runExperiment(parseRunConfig(defaultRunConfig), { outDir: out, cacheDir: join(out, "c") });
    const rows = summarize(r.trajectories, parseRunConfig(defaultRunConfig).target);
    const sgd = rows[0]!;
    expect(sgd.label).toBe("SGD (uncompressed)");
    expect(sgd.wireBitsToTarget).not.toBeNull();
    for (const row of rows.slice(1)) {
      expect(row.wireBitsToTarget, row.label).not.toBeNull();
      expect(row.wireBitsToTarget!, row.label).toBeLessThan(sgd.wireBitsToTarget!);
      expect(row.bitsToTarget!, row.label).toBeLessThan(sgd.bitsToTarget!);
    }
    // the figures README.md and docs/experiments.md quote are this run's (bit counts are deterministic)
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8").replace(/\s+/g, " ");
    const [, diana, artemis, mcm] = rows.map((r) => formatBits(r.wireBitsToTarget!).replace(/ Mbit$/, ""));
    expect(readme).toContain(`SGD reaches F − F* ≤ 10⁻⁴ with ${formatBits(sgd.wireBitsToTarget!)} on the wire, DIANA (uplink compressed) with ${diana}, Artemis and MCM (both ways) with ${artemis}`);
    expect(mcm).toBe(artemis);
    const doc = readFileSync(join(__dirname, "../../docs/experiments.md"), "utf8");
    for (const r of rows) {
      const cells = [String(r.iterationToTarget), formatBits(r.bitsToTarget!), formatBits(r.wireBitsToTarget!), formatBits(r.wireBitsTotal)];
      expect(doc, r.label).toContain(`| ${r.label.replace(" (uncompressed)", "")} | ${cells.join(" | ")} |`);
    }
  });

  it("uses QSGD's s = √d, where a compressed message (worst-case payload, header counted twice) is below a third of an SGD message", () => {
    // SGD's uplink message is 32·d payload bits + the 37-byte header (+ its parameter bytes); ℓ2
    // QSGD with s = √d needs at most 2.8·d + 32 payload bits (Alistarh et al. 2017, Thm 3.2), so with
    // d = 100 a compressed message is below a third of SGD's even with the header counted twice
    const d = defaultRunConfig.problem.dim, header = 8 * 37;
    expect(defaultRunConfig.up.params.s).toBe(Math.sqrt(d));
    expect(2 * header + 2.8 * d + 32).toBeLessThan((32 * d + header) / 3);
  });
});

describe("runExperiment", () => {
  it("writes results JSON/CSV, four SVG figures and the HTML report, with trajectories that start at F(w0) − F*", async () => {
    const out = tmp();
    const cfg = parseRunConfig({ ...defaultRunConfig, name: "tiny", iterations: 15, problem: { kind: "synthetic-lsr", workers: 4, perWorker: 30, dim: 5, seed: 2 } });
    const r = await runExperiment(cfg, { outDir: out, cacheDir: join(out, "cache") });
    expect(readdirSync(out).sort()).toEqual([".fedquant-config.json", "cache", "excess-vs-bits-down.svg", "excess-vs-bits-up.svg", "excess-vs-bits.svg", "excess-vs-iterations.svg", "report.html", "tiny.csv", "tiny.json"]);
    expect(r.trajectories.map((t) => t.label)).toEqual(["SGD (uncompressed)", "DIANA", "Artemis", "MCM", "DoubleSqueeze"]);
    for (const t of r.trajectories) {
      expect(t.iterations).toHaveLength(16);
      expect(t.bitsTotal[0]).toBe(0);
      // the default's ℓ2 QSGD s = 10 in D = 5 has ω = min(5/100, √5/10) ≈ 0.05: every algorithm,
      // error feedback included, descends at γ = 1/L
      expect(t.excessLoss[t.excessLoss.length - 1]).toBeLessThan(t.excessLoss[0]!);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("DoubleSqueeze");
    // F − F* on a log axis labelled at decades (10⁰, 10⁻², …), as docs/report.md promises
    const fig = readFileSync(join(out, "excess-vs-iterations.svg"), "utf8");
    const decades = [...fig.matchAll(/<text[^>]*>(10[⁰¹²³⁴-⁹⁻]+)<\/text>/g)].map((m) => m[1]);
    expect(decades.length, fig.slice(0, 200)).toBeGreaterThanOrEqual(2);
    expect(fig).toContain(">F(w_k) − F*</text>");
    // the page links every file written next to it, by relative name
    for (const f of ["tiny.json", "tiny.csv", "excess-vs-bits.svg", "excess-vs-iterations.svg"]) expect(html).toContain(`<a href="${f}">${f}</a>`);
    // and says what the payload and wire columns count
    expect(html).toContain("Payload bits are the compressed vectors");
    expect(html).toContain("Wire bits are 8 × the bytes actually sent");
    // the summary (with the oscillation flag) is in the JSON too
    const json = JSON.parse(readFileSync(join(out, "tiny.json"), "utf8"));
    expect(json.meta.summary.map((r: { label: string }) => r.label)).toEqual(r.trajectories.map((t) => t.label));
    expect(json.meta.summary[0]).toHaveProperty("oscillated");
    const csv = readFileSync(join(out, "tiny.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("algorithm,iteration,excess_loss,bits_up,bits_down,bits_total,wire_bits_total");
    expect(csv.filter((l) => l.trim()).length).toBe(1 + 5 * 16);
  });

  it("caches F*: a second run reads it instead of recomputing", async () => {
    const out = tmp();
    const cfg = parseRunConfig({ ...defaultRunConfig, name: "cache", iterations: 2, problem: { kind: "synthetic-logistic", workers: 4, perWorker: 20, seed: 3 }, algorithms: [{ name: "sgd" }] });
    const logs: string[] = [];
    await runExperiment(cfg, { outDir: out, cacheDir: join(out, "c"), log: (m) => logs.push(m) });
    await runExperiment(cfg, { outDir: out, cacheDir: join(out, "c"), log: (m) => logs.push(m) });
    expect(logs.filter((l) => l.includes("computing F*"))).toHaveLength(1);
    expect(existsSync(join(out, "c"))).toBe(true);
  });

  it("finds F* to within float64 noise: gradient norm at w* below 1e-10 for logistic (Newton)", async () => {
    const out = tmp();
    const cfg = parseRunConfig({ ...defaultRunConfig, name: "opt", iterations: 1, problem: { kind: "synthetic-logistic", workers: 20, perWorker: 200, seed: 1, generator: "authors" }, algorithms: [{ name: "sgd" }] });
    const r = await runExperiment(cfg, { outDir: out, cacheDir: join(out, "c") });
    expect(r.problem.optimum.gradNorm).toBeLessThan(1e-10);
    expect(r.problem.optimum.method).toBe("damped Newton");
  });

  it("--resume reuses the algorithms an interrupted run finished and gives the same results", async () => {
    const out = tmp(), cacheDir = join(out, "c");
    const base = { ...defaultRunConfig, name: "resume", iterations: 6, problem: { kind: "synthetic-lsr", workers: 3, perWorker: 20, dim: 4, seed: 5 } };
    const full = await runExperiment(parseRunConfig(base), { outDir: join(out, "full"), cacheDir });
    // the crash: a progress callback that throws while the third algorithm runs
    const cfg = parseRunConfig(base);
    let started = 0;
    await expect(runExperiment(cfg, {
      outDir: join(out, "crash"), cacheDir,
      progress: () => { if (++started === 3) throw new Error("killed"); return { tick() {}, stop() {} }; },
    })).rejects.toThrow("killed");
    const logs: string[] = [];
    const resumed = await runExperiment(cfg, { outDir: join(out, "crash"), cacheDir, resume: true, log: (m) => logs.push(m) });
    expect(logs.filter((l) => l.includes("reusing"))).toHaveLength(2);
    expect(resumed.trajectories.map((t) => t.excessLoss)).toEqual(full.trajectories.map((t) => t.excessLoss));
    expect(resumed.trajectories.map((t) => t.bitsTotal)).toEqual(full.trajectories.map((t) => t.bitsTotal));
    expect(existsSync(join(out, "crash", ".progress"))).toBe(false); // cleared once the report is written
  });

  it("--resume refuses (E_STATE, before any work) a folder written by a different config, and says what changed", async () => {
    const out = tmp(), cacheDir = join(out, "c");
    const base = { ...defaultRunConfig, name: "resume2", iterations: 4, problem: { kind: "synthetic-lsr", workers: 3, perWorker: 20, dim: 4, seed: 5 } };
    let started = 0;
    await expect(runExperiment(parseRunConfig(base), {
      outDir: out, cacheDir, progress: () => { if (++started === 2) throw new Error("killed"); return { tick() {}, stop() {} }; },
    })).rejects.toThrow("killed");
    const before = readdirSync(join(out, ".progress"));
    let progressCalls = 0;
    await expect(runExperiment(parseRunConfig({ ...base, iterations: 5 }), {
      outDir: out, cacheDir, resume: true, progress: () => { progressCalls++; return { tick() {}, stop() {} }; },
    })).rejects.toThrow(/^E_STATE: --resume: .* holds results of a different config \("resume2"\).*changed: iterations: 4 → 5.*Nothing was run/);
    expect(progressCalls).toBe(0);
    expect(readdirSync(join(out, ".progress"))).toEqual(before); // the saved trajectory is untouched
    // the same config resumes; without --resume a different config starts over in the folder
    await expect(runExperiment(parseRunConfig(base), { outDir: out, cacheDir, resume: true })).resolves.toBeDefined();
    await expect(runExperiment(parseRunConfig({ ...base, iterations: 5 }), { outDir: out, cacheDir })).resolves.toBeDefined();
  });
});
