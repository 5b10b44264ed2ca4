// The stamp that says which config wrote an output folder: hash by value (not key order), the
// diff shown when --resume refuses, and what passes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkResumable, configDiff, configHash, STAMP_FILE, writeStamp } from "../../src/experiments/config-stamp.js";

const tmp = () => mkdtempSync(join(tmpdir(), "fedquant-stamp-"));

describe("config stamp", () => {
  it("hashes values, not key order, and tells any changed value apart", () => {
    expect(configHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(configHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(configHash({ a: 1, b: { c: [1, 2] } })).not.toBe(configHash({ a: 1, b: { c: [2, 1] } }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: "1" }));
    expect(configHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });

  it("lists the dotted paths that differ", () => {
    expect(configDiff({ a: 1, p: { dim: 2, w: 3 } }, { a: 1, p: { dim: 100, w: 3 }, z: true })).toEqual(["p.dim: 2 → 100", "z: (absent) → true"]);
    expect(configDiff({ a: [1] }, { a: [1] })).toEqual([]);
  });

  it("passes a folder without a stamp or with this config's, refuses another config's and an unreadable stamp", () => {
    const dir = tmp();
    expect(() => checkResumable(dir, { a: 1 })).not.toThrow();
    writeStamp(dir, { a: 1 }, "x");
    expect(() => checkResumable(dir, { a: 1 })).not.toThrow();
    expect(() => checkResumable(dir, { a: 2 })).toThrow(/^E_STATE: --resume: .* holds results of a different config \("x"\) .*changed: a: 1 → 2/);
    writeFileSync(join(dir, STAMP_FILE), "{ torn");
    expect(() => checkResumable(dir, { a: 1 })).toThrow(/E_STATE/);
  });
});
