// Ctrl-C on a long command: say what is kept and how to continue, instead of dying silently.
let hint: string | undefined;
let installed = false;

/** Sets what to print on SIGINT (e.g. the same command with --resume); the last call wins. */
export function onInterrupt(message: string): void {
  hint = message;
  if (installed) return;
  installed = true;
  process.once("SIGINT", () => {
    process.stderr.write(`\nfedquant: interrupted. ${hint ?? ""}\n`);
    process.exit(130);
  });
}

/** The command line that was run, with --resume added (for the interrupt message). */
export function resumeCommand(): string {
  const args = process.argv.slice(2).map((a) => (/^[\w./:=@,+-]+$/.test(a) ? a : JSON.stringify(a)));
  if (!args.includes("--resume")) args.push("--resume");
  return `npx fedquant ${args.join(" ")}`;
}
