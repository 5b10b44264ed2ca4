// `fedquant compressors`: the params it prints — in the table and with --json — are real JSON that
// `createCompressor` accepts back, so a row can be pasted into a config's "params".
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { compressorNames, createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";

afterEach(() => vi.restoreAllMocks());

async function out(...args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => { lines.push(a.join(" ")); });
  vi.spyOn(console, "error").mockImplementation(() => {});
  expect(await runCli(["node", "fedquant", ...args], { exitOverride: true })).toBe(0);
  return lines.join("\n");
}

describe("fedquant compressors", () => {
  it("--json: every row's params is a JSON object that recreates the same compressor", async () => {
    await ready();
    const doc = JSON.parse(await out("compressors", "--dim", "256", "--json")) as { dim: number; rows: { compressor: string; params: unknown }[] };
    expect(doc.dim).toBe(256);
    expect(new Set(doc.rows.map((r) => r.compressor))).toEqual(new Set(compressorNames()));
    for (const r of doc.rows) {
      expect(typeof r.params === "object" && r.params !== null && !Array.isArray(r.params), r.compressor).toBe(true);
      expect({ ...createCompressor(r.compressor, r.params as Record<string, unknown>).params }, r.compressor).toEqual(r.params);
    }
  });

  it("the table's params column is JSON too (quoted keys and strings), recreating the same compressor", async () => {
    await ready();
    const text = await out("compressors", "--dim", "256");
    const rows = text.split("\n").slice(3).filter((l) => l.trim());
    expect(rows.length).toBeGreaterThanOrEqual(compressorNames().length);
    for (const line of rows) {
      const m = /^(\S+)\s+(\{.*?\})\s+\d/.exec(line);
      expect(m, line).not.toBeNull();
      const params = JSON.parse(m![2]!) as Record<string, unknown>;
      expect({ ...createCompressor(m![1]!, params).params }, line).toEqual(params);
    }
    expect(text).toContain('{"s":1,"bucket":0,"coding":"elias","norm":"l2"}');
  });
});
