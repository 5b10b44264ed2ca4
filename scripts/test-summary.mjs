// Prints the plain closing line of a test run ("Tests: N passed, N failed, N skipped") from
// vitest's JSON report, for CI logs that read that line.
import { readFileSync } from "node:fs";

const r = JSON.parse(readFileSync("test-artifacts/vitest.json", "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
