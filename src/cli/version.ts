// The package version, for CLI output and for stamping results and figures.
export const version = "0.1.0";
