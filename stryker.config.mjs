// Mutation testing of the federated algorithms and samplers (issue #11; docs/mutation.md):
// `npm run mutate`. Only the tests of those layers run (test/algorithms, test/sampling), with at
// most 2 workers (the machine is shared), and every output lands in test-artifacts/ (ignored by
// git). Incremental: a re-run only re-tests mutants whose code or covering tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: ["src/algorithms/**/*.ts", "src/sampling/**/*.ts"],
  testFiles: ["test/algorithms/**/*.test.ts", "test/sampling/**/*.test.ts"],
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
  incrementalFile: "test-artifacts/mutation/stryker-incremental.json",
  tempDirName: "test-artifacts/stryker-tmp",
  cleanTempDir: true,
  ignorePatterns: ["test-artifacts", "fedquant-out", "dist", "dist-check", "demo", "examples", "docs", ".cache"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "test-artifacts/mutation/index.html" },
  jsonReporter: { fileName: "test-artifacts/mutation/mutation.json" },
  thresholds: { high: 85, low: 70, break: null },
};
