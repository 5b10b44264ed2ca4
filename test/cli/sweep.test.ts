// Every CLI command with absurd sizes, wrong paths and misspelt names: each ends with a
// FedquantError code and a message naming the limit or the fix (exit code 2), before any work —
// never a RangeError, an ENOTDIR after the first algorithm, or a stack trace (issue #14 items 3–4).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";

// made at load time: it.each tables below are built before any beforeAll runs
const dir = mkdtempSync(join(tmpdir(), "fedquant-sweep-"));
const file = join(dir, "a-file");
writeFileSync(file, "not a directory");
const json = (name: string, value: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(value)); return p; };
const example = (name: string) => JSON.parse(readFileSync(join("examples", name), "utf8")) as Record<string, any>;

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `fedquant …args` in-process; returns the exit code and what went to stderr. */
async function cli(...args: string[]): Promise<{ code: number; err: string; t: number }> {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { lines.push(a.join(" ")); });
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { lines.push(String(s)); return true; });
  const t0 = performance.now();
  const code = await runCli(["node", "fedquant", ...args], { exitOverride: true });
  return { code, err: lines.join("\n"), t: performance.now() - t0 };
}

function expectTyped(r: { code: number; err: string }, code: string, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err).toContain(`fedquant: ${code}:`);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at |RangeError|ENOTDIR/);
}

describe("fedquant run", () => {
  const main = () => example("main-heterogeneous-logistic.json");

  it("a misspelt 5th algorithm and a bad default compressor fail before any algorithm runs, with suggestions", async () => {
    const cfg = main();
    const out = join(dir, "out-misspelt");
    const path = json("misspelt.json", { ...cfg, up: { name: "qsgdd", params: {} }, algorithms: [...cfg.algorithms, { name: "doublesqueeze", label: "DS2" }] });
    const r = await cli("run", path, "--out", out, "--quiet");
    expectTyped(r, "E_CONFIG", /nothing was run/);
    expect(r.err).toMatch(/unknown algorithm "doublesqueeze".*did you mean "double-squeeze"\?/);
    expect(r.err).toMatch(/unknown compressor "qsgdd".*did you mean "qsgd"\?/);
    // nothing ran, so no trajectory (and no .progress file for --resume to trip over) exists
    expect(existsSync(join(out, cfg.name))).toBe(false);
  });

  it("a bad compressor parameter of one entry names the entry", async () => {
    const cfg = main();
    cfg.algorithms[2] = { ...cfg.algorithms[2], up: { name: "qsgd", params: { s: -3 } } };
    expectTyped(await cli("run", json("bad-param.json", cfg), "--out", join(dir, "o1")), "E_CONFIG", /algorithms\.2 .*s must be an integer/);
  });

  it.each([
    ["perWorker", { perWorker: 1e12 }], ["workers", { workers: 1e12 }],
  ])("problem.%s = 1e12 is an E_CONFIG naming the limit", async (_f, over) => {
    const cfg = main();
    cfg.problem = { ...cfg.problem, ...over };
    expectTyped(await cli("run", json(`big-${_f}.json`, cfg)), "E_CONFIG", /expected number to be <=/);
  });

  it("--iterations 1e12, --out pointing at a file, a missing or directory config, a missing LIBSVM path", async () => {
    expectTyped(await cli("run", "--iterations", "1e12"), "E_CONFIG", /--iterations must be an integer in 1\.\.10000000/);
    expectTyped(await cli("run", "--out", file), "E_CONFIG", /--out .* is a file, not a directory/);
    expectTyped(await cli("run", "--out", join(file, "sub")), "E_CONFIG", /is a file, not a directory/);
    expectTyped(await cli("run", join(dir, "nope.json")), "E_IO", /no such file/);
    expectTyped(await cli("run", dir), "E_IO", /it is a directory/);
    const cfg = main();
    cfg.problem = { kind: "libsvm", path: join(dir, "missing.libsvm") };
    expectTyped(await cli("run", json("libsvm.json", cfg)), "E_CONFIG", /problem\.path: no file/);
  });

  it("a reference data set that is nowhere names both --data-dir and `fedquant data get`", async () => {
    const cfg = main();
    cfg.problem = { kind: "reference", dataset: "a9a" };
    const empty = join(dir, "empty");
    mkdirSync(empty, { recursive: true });
    process.env.FEDQUANT_CACHE_DIR = join(dir, "cache");
    try {
      expectTyped(await cli("run", json("ref.json", cfg), "--data-dir", empty), "E_DATA", /npx fedquant data get a9a.*--data-dir/);
    } finally { delete process.env.FEDQUANT_CACHE_DIR; }
  });
});

describe("fedquant sample (E4 configs)", () => {
  it.each([
    ["data.dim", { dim: 1e12 }, /data\.dim: Too big: expected number to be <=100000/],
    ["data.clients", { clients: 1e12 }, /data\.clients: Too big: expected number to be <=10000/],
    ["data.perClient", { perClient: 1e12 }, /data\.perClient: Too big: expected number to be <=1000000/],
    // each field within its bound, their product (1e4 × 1e3 × 1e5 f64 values) is not
    ["the data size", { clients: 10_000, perClient: 1000, dim: 100_000 }, /at most 2\^27 = 134217728/],
  ])("%s too large is an E_CONFIG naming the limit", async (_n, over, pattern) => {
    const cfg = example("e4-gaussian.json");
    cfg.data = { ...cfg.data, ...over };
    expectTyped(await cli("sample", json(`g-${_n}.json`, cfg), "--out", join(dir, "g")), "E_CONFIG", pattern);
  });

  it("samples that would fill the disk, a misspelt compressor, --out on a file", async () => {
    const g = example("e4-gaussian.json");
    expectTyped(await cli("sample", json("g-disk.json", { ...g, samples: 1e8, thin: 1, data: { ...g.data, dim: 10_000, clients: 2, perClient: 2 } })), "E_CONFIG", /GiB of samples; at most 16 GiB/);
    expectTyped(await cli("sample", json("g-comp.json", { ...g, compressors: [{ name: "stovoc", params: {} }] }), "--out", join(dir, "g2")), "E_CONFIG", /did you mean "stovoq"\?/);
    expectTyped(await cli("sample", "examples/e4-gaussian.json", "--out", file), "E_CONFIG", /is a file, not a directory/);
  });
});

describe("the other commands", () => {
  it.each([
    [["e2", "--seed", "-1"], "E_CONFIG", /--seed must be an integer ≥ 0/],
    [["e2", "--quick", "--out", file], "E_CONFIG", /is a file, not a directory/],
    [["e3", "--problem", "phishng"], "E_CONFIG", /unknown E3 problem "phishng"; did you mean "phishing-noniid"\?/],
    [["e3", "--variant", "ful-batch"], "E_CONFIG", /did you mean "full-batch"\?/],
    [["e3", "--quick", "--problem", "synthetic-lsr", "--out", file], "E_CONFIG", /is a file, not a directory/],
    [["distortion", "--messages", "1e12"], "E_CONFIG", /--messages must be an integer in 1\.\.10000000/],
    [["distortion", "--buckets", "1e12"], "E_CONFIG", /--buckets must be an integer in 1\.\.1000000/],
    [["distortion", "--k", "0"], "E_CONFIG", /--k must be an integer in 1\.\.10000/],
    [["distortion", "--methods", "stovoq,top3"], "E_CONFIG", /unknown method "top3"/],
    [["distortion", "--quick", "--out", file], "E_CONFIG", /is a file, not a directory/],
    [["compressors", "--dim", "1e12"], "E_CONFIG", /--dim must be an integer in 1\.\.2\^26/],
    [["compressors", "--seed", "x"], "E_CONFIG", /--seed must be a non-negative integer/],
    [["serve", "nope.json"], "E_IO", /cannot read nope\.json/],
    [["serve", "examples/serve-logistic.json", "--port", "99999"], "E_CONFIG", /--port must be an integer in \[0, 65535\]/],
    [["join", "ws://127.0.0.1:1", "--token", "t", "--retries", "-1"], "E_CONFIG", /--retries must be an integer/],
  ] as [string[], string, RegExp][])("fedquant %j", async (args, code, pattern) => {
    const r = await cli(...args);
    expectTyped(r, code, pattern);
    // up-front checks: no command started its work (a second is generous for parsing a config)
    expect(r.t).toBeLessThan(5_000);
  });

  it("serve --out on a file", async () => {
    expectTyped(await cli("serve", "examples/serve-logistic.json", "--out", join(file, "x")), "E_CONFIG", /is a file, not a directory/);
  });

  it("an unknown command or option is commander's usage error (exit 1), not a stack trace", async () => {
    const r = await cli("rnu");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command 'rnu'/);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
