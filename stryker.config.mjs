// Mutation testing of the federated algorithms and samplers (issue #11; docs/mutation.md):
// `npm run mutate`. At most 2 workers (the machine is shared); every output lands in
// test-artifacts/ (ignored by git); incremental: a re-run only re-tests mutants whose code or
// covering tests changed.
//
// Two scopes. The default, "rules", mutates the lines that carry the update rules — each
// algorithm's server update and client step (constructors, update/downlink, the vector sent,
// the memory/error steps, how a downlink is applied), the memories, the participation weights,
// the shared-downlink plumbing, and the samplers' gradient oracle and Langevin noise — and runs
// the tests written to catch a wrong algorithm (test/*/reference) plus the existing suites about
// those rules and their round protocol (absent clients, malformed downlinks). Checkpoint (save/load), envelope and validation code is out of this scope:
// its own suites test it. FEDQUANT_MUTATE=all mutates every file of src/algorithms and
// src/sampling against every test of test/algorithms and test/sampling: Stryker estimated ~100 h
// for it on this shared 2-core machine (every mutant of the protocol code is covered by every
// test), so it is for a bigger box.
const all = process.env.FEDQUANT_MUTATE === "all";
const RULES = [
  "src/algorithms/artemis.ts:24-46", "src/algorithms/artemis.ts:62-72",
  "src/algorithms/artemis-nd.ts:10-14",
  "src/algorithms/artemis-ef.ts:24-38",
  "src/algorithms/dore.ts:28-64", "src/algorithms/dore.ts:81-91",
  "src/algorithms/double-squeeze.ts:28-50", "src/algorithms/double-squeeze.ts:66-88",
  "src/algorithms/ef-sgd.ts:15-24",
  "src/algorithms/mcm.ts:28-50", "src/algorithms/mcm.ts:67-78",
  "src/algorithms/rand-mcm.ts:27-62", "src/algorithms/rand-mcm.ts:83-103",
  "src/algorithms/sgd.ts:28-62", "src/algorithms/sgd.ts:79-106",
  "src/algorithms/memory.ts:35-81", "src/algorithms/memory.ts:111-163", "src/algorithms/memory.ts:208-217",
  "src/algorithms/server-base.ts:104-107", "src/algorithms/server-base.ts:124-131",
  "src/algorithms/participation.ts:9-50",
  "src/algorithms/shared.ts:19-44", "src/algorithms/shared.ts:51-62",
  "src/sampling/oracle.ts:26-56",
  "src/sampling/parties.ts:17-43",
];
const RULE_TESTS = [
  "test/algorithms/reference/**/*.test.ts",
  "test/sampling/reference/**/*.test.ts",
  "test/algorithms/{diana-memory,identity-equivalence,absent,protocol,memory-init}.test.ts",
  "test/sampling/protocol.test.ts",
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: all ? ["src/algorithms/**/*.ts", "src/sampling/**/*.ts"] : RULES,
  testFiles: all ? ["test/algorithms/**/*.test.ts", "test/sampling/**/*.test.ts"] : RULE_TESTS,
  vitest: { configFile: "vitest.config.ts" },
  coverageAnalysis: "perTest",
  // static mutants (module-level constants, registry entries) need a full reload and every test
  // per mutant: ~94 % of the run time for ~45 % of the mutants (measured); they are skipped
  ignoreStatic: true,
  concurrency: 2,
  // a busy shared machine: a mutant is a timeout only well past its normal run time
  timeoutMS: 30000,
  timeoutFactor: 3,
  dryRunTimeoutMinutes: 20,
  incremental: true,
  incrementalFile: `test-artifacts/mutation/stryker-incremental-${all ? "all" : "rules"}.json`,
  tempDirName: "test-artifacts/stryker-tmp",
  cleanTempDir: true,
  ignorePatterns: ["test-artifacts", "fedquant-out", "dist", "dist-check", "demo", "examples", "docs", ".cache"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "test-artifacts/mutation/index.html" },
  jsonReporter: { fileName: "test-artifacts/mutation/mutation.json" },
  thresholds: { high: 85, low: 70, break: null },
};
