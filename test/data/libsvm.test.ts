// LIBSVM parsing (pure) and file loading (streamed): round trips, format details, errors with line numbers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatLibsvm, loadLibsvm, parseLibsvm, readLinesSync } from "../../src/data/index.js";
import { tempDir } from "./tmp.js";

const dir = tempDir("libsvm");
const text = "+1 1:0.5 3:-2\n-1 2:1e-3\n0 1:1 2:2 3:3 4:4\n";

describe("parseLibsvm", () => {
  it("reads 1-based indices into dense rows with missing = 0 and features = max index", () => {
    const d = parseLibsvm(text);
    expect(d.n).toBe(3);
    expect(d.p).toBe(4);
    expect(Array.from(d.y)).toEqual([1, -1, 0]);
    expect(Array.from(d.X)).toEqual([0.5, 0, -2, 0, 0, 0.001, 0, 0, 1, 2, 3, 4]);
  });

  it("round-trips through formatLibsvm", () => {
    const d = parseLibsvm(text);
    expect(parseLibsvm(formatLibsvm(d))).toEqual(d);
  });

  it("skips blank lines, comments and qid tokens, and accepts CRLF", () => {
    const d = parseLibsvm("# header comment\r\n1 qid:7 2:5 # trailing\r\n\r\n-1 1:1\r\n");
    expect(d.n).toBe(2);
    expect(Array.from(d.X)).toEqual([0, 5, 1, 0]);
  });

  it("refuses a file whose dense matrix would exceed 2^28 entries (one stray huge index) with E_DATA", () => {
    expect(() => parseLibsvm("1 1:1\n-1 4000000000:1\n")).toThrow(/E_DATA.*2 rows × 4000000000 features.*2 GiB/);
  });

  it("honours a fixed feature count wider than the file", () => {
    expect(parseLibsvm("1 2:1\n", { features: 5 }).p).toBe(5);
  });

  it.each([
    ["a label that is not a number", "1 1:1\nyes 1:1\n", /line 2: label "yes"/],
    ["a token without a colon", "1 1:1\n1 2:1\n1 3\n", /line 3: token "3" is not index:value/],
    ["a zero index", "1 0:1\n", /line 1: index 0 is below 1/],
    ["a non-numeric value", "1 1:abc\n", /line 1: value "abc"/],
    ["decreasing indices", "1 3:1 2:1\n", /line 1: index 2 is not above the previous index 3/],
    ["an index beyond the fixed feature count", "1 6:1\n", /line 1: index 6 exceeds features = 5/],
  ])("throws E_DATA with the line number for %s", (_what, bad, message) => {
    expect(() => parseLibsvm(bad, { features: 5 })).toThrow(/^E_DATA/);
    expect(() => parseLibsvm(bad, { features: 5 })).toThrow(message);
  });
});

describe("loadLibsvm", () => {
  it("loads a file equal to parsing its text", () => {
    const file = join(dir, "good.libsvm");
    writeFileSync(file, text);
    expect(loadLibsvm(file)).toEqual(parseLibsvm(text));
  });

  it("reports the file and line of a malformed row", () => {
    const file = join(dir, "bad.libsvm");
    writeFileSync(file, "1 1:1\n1 1:1\n1 x:1\n");
    expect(() => loadLibsvm(file)).toThrow(/E_DATA: .*bad\.libsvm: line 3: index "x"/);
  });

  it("throws E_DATA 'not found' for a missing file", () => {
    expect(() => loadLibsvm(join(dir, "nope.libsvm"))).toThrow(/E_DATA: .*not found/);
  });

  it("readLinesSync splits lines correctly across chunk boundaries, CRLF and multi-byte UTF-8 included", () => {
    const file = join(dir, "lines.txt");
    const lines = ["αβγ first", "", "second line é", "x".repeat(50), "last without newline"];
    writeFileSync(file, lines.join("\r\n"));
    for (const chunk of [1, 3, 7, 64]) expect([...readLinesSync(file, chunk)]).toEqual(lines);
  });
});
