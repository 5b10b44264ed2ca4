// `npm run bench [-- --quick] [-- --only NAME]`: runs every suite, prints one table with
// throughput and the ratio against each group's baseline, writes bench/results.json.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { suites } from "./suites/index.js";
import type { Row } from "./harness.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

function fmt(v: number): string {
  const units: [number, string][] = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [s, u] of units) if (v >= s) return `${(v / s).toFixed(2)} ${u}`;
  return v.toFixed(2);
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown", mhz: cpus()[0]?.speed ?? 0, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), quick,
};
console.log(`fedquant bench on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}${quick ? " — quick mode (short timings, not for reporting)" : ""}`);
const rows: Row[] = [];
for (const s of suites) {
  if (only && s.name !== only) continue;
  rows.push(...await s.run({ quick }));
}
const header = ["suite", "group", "variant", "throughput", "unit", "× baseline", "notes"];
const notes = (r: Row) => Object.entries(r.extra ?? {}).map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : v}`).join(" ");
const table = rows.map((r) => [r.suite, r.group, r.variant, fmt(r.throughput), r.unit, `${r.ratio.toFixed(2)}×`, notes(r)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
console.log(line(header));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const t of table) console.log(line(t));
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ machine, rows }, null, 2));
console.log("wrote bench/results.json");
