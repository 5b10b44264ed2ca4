// Prints the plain closing line of a test run ("Tests: N passed, N failed, N skipped") from
// vitest's JSON report, for CI logs that read that line — with which files skipped tests and why
// (tests note their reason in test-artifacts/skipped.txt through test/helpers/chromium.ts noteSkip).
import { existsSync, readFileSync, rmSync } from "node:fs";

const r = JSON.parse(readFileSync("test-artifacts/vitest.json", "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ", none skipped"}`);
if (skipped) {
  const byFile = new Map();
  for (const f of r.testResults ?? []) {
    const n = (f.assertionResults ?? []).filter((a) => a.status === "pending" || a.status === "skipped" || a.status === "todo").length;
    if (n) byFile.set(f.name.replace(process.cwd() + "/", ""), n);
  }
  for (const [f, n] of byFile) console.log(`  skipped ${n} in ${f}`);
}
const notes = "test-artifacts/skipped.txt";
if (existsSync(notes)) {
  const reasons = [...new Set(readFileSync(notes, "utf8").split("\n").filter(Boolean))];
  for (const why of reasons) console.log(`  why: ${why}`);
  rmSync(notes); // one run's reasons only
}
