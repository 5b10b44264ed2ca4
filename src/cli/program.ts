// The `fedquant` program (commander) and how it ends: a FedquantError prints its code and message
// (exit 2), a usage error commander's own message (exit 1); no stack trace for anything a user can
// cause. Kept apart from main.ts so tests drive the real command line in-process.
import { Command, CommanderError } from "commander";
import { FedquantError } from "../errors.js";
import { commands } from "./commands/index.js";
import { KERNEL_HELP, useFlavour } from "./kernel-option.js";
import { version } from "./version.js";

export function buildProgram(): Command {
  const program = new Command()
    .name("fedquant")
    .description("Communication-efficient federated learning and sampling with compressed messages")
    .version(version)
    .option("--kernel <flavour>", KERNEL_HELP, "auto")
    .showHelpAfterError();
  // before any command runs: a wrong flavour costs nothing
  program.hook("preAction", async () => { await useFlavour(program.opts<{ kernel: string }>().kernel); });
  for (const register of commands) register(program);
  return program;
}

/** Runs the command line; resolves to the exit code (0 when the command finished). */
export async function runCli(argv: string[], opts: { exitOverride?: boolean } = {}): Promise<number> {
  const program = buildProgram();
  if (opts.exitOverride) {
    program.exitOverride();
    for (const c of program.commands) c.exitOverride();
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander printed the message already
    if (e instanceof FedquantError) {
      console.error(`fedquant: ${e.message}`);
      return 2;
    }
    // a bug, not a user mistake: say so briefly; the stack on request
    const err = e instanceof Error ? e : new Error(String(e));
    console.error(`fedquant: unexpected error: ${err.message}\n(this is a bug in fedquant; rerun with FEDQUANT_DEBUG=1 for the stack trace and report it)`);
    if (process.env.FEDQUANT_DEBUG) console.error(err.stack);
    return 70;
  }
}
