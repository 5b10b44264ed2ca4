// The package version, for CLI output and for stamping results and figures. At the bottom of the
// layers (imports nothing) so every layer may read it; test/package/version.test.ts keeps it equal
// to package.json's.
export const version = "0.1.0";
