#!/usr/bin/env node
// The `fedquant` command: one sub-command per file under ./commands (registered in commands/index.ts).
import { Command } from "commander";
import { FedquantError } from "../errors.js";
import { commands } from "./commands/index.js";
import { version } from "./version.js";

const program = new Command()
  .name("fedquant")
  .description("Communication-efficient federated learning and sampling with compressed messages")
  .version(version)
  .showHelpAfterError();

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof FedquantError) {
    console.error(`fedquant: ${e.message}`);
    process.exit(2);
  }
  throw e;
});
