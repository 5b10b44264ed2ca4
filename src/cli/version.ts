// The package version for the CLI (src/version.ts is the one definition).
export { version } from "../version.js";
