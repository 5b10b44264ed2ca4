// Mutation testing of the federated algorithms and samplers (issue #11; docs/mutation.md):
// `npm run mutate`. At most 2 workers (the machine is shared); every output lands in
// test-artifacts/ (ignored by git); incremental: a re-run only re-tests mutants whose code or
// covering tests changed.
//
// Two scopes. The default, "rules", mutates the files that hold the update rules (the algorithms'
// server/client steps, the memories, the participation weights, the samplers' gradient oracles,
// noise and statistics) and runs the tests written to catch a wrong algorithm plus the few
// existing suites that exercise those files' state handling: it finishes in well under an hour
// here. FEDQUANT_MUTATE=all mutates every file of src/algorithms and src/sampling against every
// test of test/algorithms and test/sampling: measured at ~100 h on this 2-core machine (every
// mutant of the shared protocol code is covered by every test), so it is for a bigger box.
const all = process.env.FEDQUANT_MUTATE === "all";
const RULES = [
  "src/algorithms/{artemis,artemis-nd,dore,double-squeeze,ef-sgd,mcm,rand-mcm,sgd,memory,participation,shared,context}.ts",
  "src/sampling/{oracle,parties,sgld,welford,model,prior}.ts",
];
const RULE_TESTS = [
  "test/algorithms/reference/**/*.test.ts",
  "test/sampling/reference/**/*.test.ts",
  "test/algorithms/{checkpoint,catch-up,diana-memory,identity-equivalence}.test.ts",
  "test/sampling/{welford,resume,sgld-identity}.test.ts",
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
