#!/usr/bin/env node
// The `fedquant` command: one sub-command per file under ./commands (registered in commands/index.ts);
// the program and its error handling are in program.ts.
import { runCli } from "./program.js";

runCli(process.argv).then((code) => {
  if (code !== 0) process.exit(code);
});
