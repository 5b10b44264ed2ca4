// Error messages a user can act on (issue #14 polish): fields with several accepted forms list
// them, the value found is shown, type errors name the type ("received string "1""), and an unknown
// kernel flavour is an E_CONFIG with the accepted ones — all before any work.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { kernel, ready, relaxedSimdSupported } from "../../src/kernel/index.js";

const dir = mkdtempSync(join(tmpdir(), "fedquant-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function cli(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [], out: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { err.push(a.join(" ")); });
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => { out.push(a.join(" ")); });
  const code = await runCli(["node", "fedquant", ...args], { exitOverride: true });
  return { code, err: err.join("\n"), out: out.join("\n") };
}
const main = () => JSON.parse(readFileSync("examples/main-lsr-d100.json", "utf8")) as Record<string, unknown>;
const write = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };

describe("config errors", () => {
  it("γ, batch and α list their accepted forms and the value found", async () => {
    const cfg = { ...main(), gamma: "1/3L", batch: "all", algorithms: [{ name: "diana", alpha: "half" }] };
    const r = await cli("run", write("forms.json", cfg), "--out", join(dir, "o"));
    expect(r.code).toBe(2);
    expect(r.err).toContain('gamma: expected γ as a number > 0, "1/L", "1/(2L)", "1/(4L)" or { "timesOneOverL": <number > 0> }; found "1/3L"');
    expect(r.err).toContain('batch: expected "full" (full local gradients) or a minibatch size (an integer ≥ 1); found "all"');
    expect(r.err).toContain('algorithms.0.alpha: expected a number in [0, 1] or "auto" (= 1/(2(ω+1)) of its compressor); found "half"');
  });

  it("type errors name the type found and show the value: received string \"1\"", async () => {
    const r = await cli("run", write("types.json", { ...main(), seed: "1", iterations: true }), "--out", join(dir, "o"));
    expect(r.code).toBe(2);
    expect(r.err).toContain('seed: Invalid input: expected number, received string "1"');
    expect(r.err).toContain("iterations: Invalid input: expected number, received boolean true");
  });

  it("an enum lists its options and the value found (E4 config too)", async () => {
    const e4 = JSON.parse(readFileSync("examples/e4-gaussian.json", "utf8")) as Record<string, unknown>;
    const r = await cli("sample", write("e4.json", { ...e4, seed: "7" }), "--out", join(dir, "o4"));
    expect(r.code).toBe(2);
    expect(r.err).toContain('seed: Invalid input: expected number, received string "7"');
    const s = await cli("run", write("enum.json", { ...main(), algorithms: [{ name: "artemis", serverMemory: "some" }] }), "--out", join(dir, "o"));
    expect(s.err).toContain('algorithms.0.serverMemory: Invalid option: expected one of "all-workers"|"active-workers"; found "some"');
  });
});

describe("--kernel", () => {
  it("an unknown flavour is E_CONFIG listing the accepted ones, with a suggestion, and nothing runs", async () => {
    const r = await cli("compressors", "--dim", "64", "--kernel", "simdd");
    expect(r.code).toBe(2);
    expect(r.err).toBe('fedquant: E_CONFIG: --kernel must be one of auto, simd, scalar, relaxed, fastest; got "simdd"; did you mean "simd"?');
    expect(r.out).toBe("");
  });

  it("a known flavour is the kernel the command runs on", async () => {
    try {
      const r = await cli("compressors", "--dim", "64", "--json", "--kernel", "scalar");
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).kernel).toBe("scalar");
      expect(kernel().flavour).toBe("scalar");
    } finally {
      await ready({ flavour: "simd" }); // the rest of the process runs on the default build
    }
  });

  it("fastest is accepted as ready() accepts it: relaxed SIMD where this engine validates it, else SIMD", async () => {
    try {
      const r = await cli("compressors", "--dim", "64", "--json", "--kernel", "fastest");
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).kernel).toBe(relaxedSimdSupported() ? "relaxed" : "simd");
    } finally {
      await ready({ flavour: "simd" });
    }
  });
});
