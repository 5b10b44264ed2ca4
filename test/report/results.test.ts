// Result files: CSV quoting round-trips, JSON keeps non-finite numbers visible, I/O failures are E_IO.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { formatTable, toCsv, type Table } from "../../src/report/index.js";
import { writeResults, writeSvg } from "../../src/report/node.js";
import { parseCsv } from "./xml-check.js";
import { correlationTable, distortionTable } from "../../src/experiments/distortion-report.js";

const tmp = () => mkdtempSync(join(tmpdir(), "fedquant-report-"));

describe("toCsv", () => {
  it("round-trips commas, quotes, newlines and edge spaces through an RFC 4180 reader", () => {
    const tricky = ['a,b', 'say "hi"', "two\nlines", "cr\r\nlf", " padded ", "", "plain"];
    const table: Table = { columns: ["text", "x,y"], rows: tricky.map((t, i) => [t, i]) };
    const parsed = parseCsv(toCsv(table));
    expect(parsed[0]).toEqual(["text", "x,y"]);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(tricky);
    expect(parsed.slice(1).map((r) => Number(r[1]))).toEqual(tricky.map((_, i) => i));
  });

  it("writes numbers at full precision and non-finite values by name", () => {
    const csv = toCsv({ columns: ["v"], rows: [[0.1 + 0.2], [1e-300], [NaN], [-Infinity]] });
    expect(csv).toBe("v\n0.30000000000000004\n1e-300\nNaN\n-Infinity\n");
  });

  it("rejects a row whose length differs from the header", () => {
    expect(() => toCsv({ columns: ["a", "b"], rows: [[1]] })).toThrow(expect.objectContaining({ code: "E_DIM" }));
  });
});

describe("unique column names", () => {
  it("toCsv and writeResults refuse a column name that appears twice (E_INPUT)", async () => {
    const t: Table = { columns: ["total", "± se", "colinear", "± se"], rows: [[1, 0.1, 2, 0.2]] };
    expect(() => toCsv(t)).toThrow(/^E_INPUT: results: column "± se" appears twice/);
    await expect(writeResults(mkdtempSync(join(tmpdir(), "fq-uniq-")), "x", t)).rejects.toThrow(/E_INPUT/);
  });

  it("E1's distortion tables name every column once", () => {
    const row = { label: "m", short: "m", K: 1, bitsPerBucket: 16, unbiased: true, total: 1, totalSe: 0.1, colinear: 0.5, colinearSe: 0.05, orthogonal: 0.5, orthogonalSe: 0.05 };
    const t = distortionTable([row as Parameters<typeof distortionTable>[0][number]]);
    expect(new Set(t.columns).size).toBe(t.columns.length);
    const header = toCsv(t).split("\n")[0]!.split(",");
    expect(header).toEqual(["method", "K", "bits/bucket", "unbiased", "total", "total ± se", "colinear", "colinear ± se", "orthogonal", "orthogonal ± se"]);
    const c = correlationTable([{ label: "m", correlation: 0.5, total: 1, totalSe: 0.1 } as Parameters<typeof correlationTable>[0][number]]);
    expect(new Set(c.columns).size).toBe(c.columns.length);
  });
});

describe("writeResults", () => {
  it("creates the directory and writes name.json (pretty, with meta) and name.csv", async () => {
    const dir = join(tmp(), "nested", "out");
    const data = { columns: ["method", "loss"], rows: [["QSGD", 0.5], ["DIANA", NaN]], meta: { seed: 1 } };
    const paths = await writeResults(dir, "e3", data);
    expect(paths).toEqual({ json: join(dir, "e3.json"), csv: join(dir, "e3.csv") });
    const json = readFileSync(paths.json, "utf8");
    expect(json).toContain('\n  "columns"'); // indented
    expect(JSON.parse(json)).toEqual({ meta: { seed: 1 }, columns: ["method", "loss"], rows: [["QSGD", 0.5], ["DIANA", "NaN"]] });
    expect(readFileSync(paths.csv, "utf8")).toBe("method,loss\nQSGD,0.5\nDIANA,NaN\n");
  });

  it("fails with E_IO naming the path when the directory cannot be created", async () => {
    const file = join(tmp(), "a-file");
    writeFileSync(file, "x");
    const dir = join(file, "sub"); // a directory under a regular file: fails even as root
    const err = await writeResults(dir, "r", { columns: ["a"], rows: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FedquantError);
    expect((err as FedquantError).code).toBe("E_IO");
    expect((err as FedquantError).message).toContain(dir);
  });

  it("refuses a name that would escape the output directory", async () => {
    await expect(writeResults(tmp(), "../evil", { columns: [], rows: [] })).rejects.toMatchObject({ code: "E_CONFIG" });
  });

  it("writeSvg writes an SVG and refuses text that is not one", async () => {
    const dir = tmp();
    const path = await writeSvg(dir, "f.svg", "<svg></svg>");
    expect(readFileSync(path, "utf8")).toBe("<svg></svg>");
    await expect(writeSvg(dir, "g.svg", "<html>")).rejects.toMatchObject({ code: "E_INPUT" });
  });
});

describe("formatTable", () => {
  it("aligns columns: text left, numbers right, with significant digits and exponent form", () => {
    const out = formatTable(
      { columns: ["method", "loss", "bits"], rows: [["SGD", 0.000012345, 1280], ["Artemis-ND", 3.14159265, 123456789012]] },
      { digits: 3 },
    );
    expect(out.split("\n")).toEqual([
      "method         loss      bits",
      "----------  -------  --------",
      "SGD         1.23e-5      1280",
      "Artemis-ND     3.14  1.23e+11",
    ]);
  });

  it("keeps a cell with a newline on one line", () => {
    expect(formatTable({ columns: ["a"], rows: [["x\ny"]] }).split("\n")).toHaveLength(3);
  });
});
