// CSV parsing (pure) and loading: label column choice, optional header, errors with line numbers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCsv, parseCsv } from "../../src/data/index.js";
import { tempDir } from "./tmp.js";

const dir = tempDir("csv");

describe("parseCsv", () => {
  it("takes column 0 as the label and detects a header automatically", () => {
    const d = parseCsv("label,a,b\n1,2,3\n0,4,5\n");
    expect(d).toEqual({ n: 2, p: 2, X: Float64Array.of(2, 3, 4, 5), y: Float64Array.of(1, 0) });
  });

  it("reads a headerless file as data", () => {
    expect(parseCsv("1,2,3\n0,4,5\n").n).toBe(2);
  });

  it("selects the label column by negative index or by header name", () => {
    const byIndex = parseCsv("1,2,9\n3,4,8\n", { labelColumn: -1 });
    expect(Array.from(byIndex.y)).toEqual([9, 8]);
    expect(Array.from(byIndex.X)).toEqual([1, 2, 3, 4]);
    const byName = parseCsv('a;"class";b\n1;7;2\n', { labelColumn: "class", delimiter: ";" });
    expect(Array.from(byName.y)).toEqual([7]);
    expect(Array.from(byName.X)).toEqual([1, 2]);
  });

  it.each([
    ["a non-numeric field", "1,2,3\n4,five,6\n", /line 2: column 2 \("five"\) is not a finite number/],
    ["a short row", "a,b,c\n1,2,3\n\n1,2\n", /line 4: found 2 fields, expected 3/],
    ["an unknown label name", "a,b\n1,2\n", /line 1: no column named "y"/],
  ])("throws E_DATA with the line number for %s", (_what, bad, message) => {
    const opts = bad.startsWith("a,b\n") ? { labelColumn: "y" } : {};
    expect(() => parseCsv(bad, opts)).toThrow(/^E_DATA/);
    expect(() => parseCsv(bad, opts)).toThrow(message);
  });

  it("loadCsv reads a file like parseCsv reads its text", () => {
    const file = join(dir, "good.csv");
    const text = "y,x1,x2\r\n1,0.5,2\r\n-1,1e3,-4\r\n";
    writeFileSync(file, text);
    expect(loadCsv(file)).toEqual(parseCsv(text));
  });
});
