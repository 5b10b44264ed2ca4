// The CLI as separate processes (`fedquant serve` and `fedquant join`, run from the sources with
// tsx), for tests that check a whole served session end to end. Every process started is killed
// by killAll() (call it in afterAll) if it is still running.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

export interface CliProcess { proc: ChildProcess; out: Promise<string>; err: () => string }

const procs: ChildProcess[] = [];

/** `fedquant <args>`; `out` resolves to its stdout on exit code 0, else rejects with its stderr. */
export function fedquant(args: string[]): CliProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let stdout = "", stderr = "";
  proc.stdout!.on("data", (d: Buffer) => { stdout += d.toString(); });
  proc.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  const out = new Promise<string>((res, rej) => proc.on("exit", (code) => (code === 0 ? res(stdout) : rej(new Error(`fedquant ${args[0]} exited with ${code}: ${stderr}`)))));
  return { proc, out, err: () => stderr };
}

export function killAll(): void {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
}

export interface ServedReports { reports: unknown[]; bitsUp: number; bitsDown: number }

/**
 * `fedquant serve <config> --out <results>` on a free port, one `fedquant join` per token once the
 * server prints its address; returns each client's stdout and the server's results file. A server
 * that dies before printing its address fails with its stderr, not a timeout.
 */
export async function serveAndJoin(config: string, tokens: readonly string[], results: string): Promise<{ lines: string[]; reports: ServedReports }> {
  const server = fedquant(["serve", config, "--port", "0", "--quiet", "--out", results]);
  let stdout = "";
  const url = await new Promise<string>((res, rej) => {
    server.proc.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /at (ws:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) res(m[1]!);
    });
    server.out.catch(rej);
    server.proc.on("exit", (code) => rej(new Error(`fedquant serve exited (${code}) before printing its address: ${server.err()}`)));
  });
  const clients = tokens.map((t) => fedquant(["join", url, "--token", t, "--quiet"]));
  const lines = await Promise.all(clients.map((c) => c.out));
  await server.out;
  return { lines, reports: JSON.parse(readFileSync(results, "utf8")) as ServedReports };
}
