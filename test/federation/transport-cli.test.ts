// `fedquant serve` and `fedquant join` as separate processes over loopback: the served session
// runs to the end, and the bits the clients say they sent add up to what the server counted.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkServeConfig } from "../../src/federation/transport/serve-config.js";

const dir = mkdtempSync(join(tmpdir(), "fedquant-cli-"));
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function fedquant(args: string[]): { proc: ChildProcess; out: Promise<string>; err: () => string } {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let stdout = "", stderr = "";
  proc.stdout!.on("data", (d: Buffer) => { stdout += d.toString(); });
  proc.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  const out = new Promise<string>((res, rej) => proc.on("exit", (code) => (code === 0 ? res(stdout) : rej(new Error(`fedquant ${args[0]} exited with ${code}: ${stderr}`)))));
  return { proc, out, err: () => stderr };
}

describe("fedquant serve / join", () => {
  it("accepts the shipped example configs", () => {
    for (const f of ["serve-logistic.json", "serve-mnist.json"]) {
      expect(() => checkServeConfig(JSON.parse(readFileSync(join("examples", f), "utf8")))).not.toThrow();
    }
  });

  it("rejects a config with an unknown key, naming it", () => {
    const cfg = JSON.parse(readFileSync("examples/serve-logistic.json", "utf8"));
    expect(() => checkServeConfig({ ...cfg, deadline: 5 })).toThrow(/unknown key "deadline"/);
  });

  it("serves a session that two joined processes run to the end", async () => {
    const cfg = JSON.parse(readFileSync("examples/serve-logistic.json", "utf8"));
    cfg.session.rounds = 12;
    cfg.session.problem.clients = 2;
    cfg.tokens = ["token-of-client-0", "token-of-client-1"];
    writeFileSync(join(dir, "serve.json"), JSON.stringify(cfg));
    const results = join(dir, "reports.json");
    const server = fedquant(["serve", join(dir, "serve.json"), "--port", "0", "--quiet", "--out", results]);
    let stdout = "";
    // a server that dies before printing its address fails the test with its stderr, not a timeout
    const url = await new Promise<string>((res, rej) => {
      server.proc.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /at (ws:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) res(m[1]!);
      });
      server.out.catch(rej);
      server.proc.on("exit", (code) => rej(new Error(`fedquant serve exited (${code}) before printing its address: ${server.err()}`)));
    });
    const clients = cfg.tokens.map((t: string) => fedquant(["join", url, "--token", t, "--quiet"]));
    const lines = await Promise.all(clients.map((c: { out: Promise<string> }) => c.out));
    await server.out;
    const reports = JSON.parse(readFileSync(results, "utf8")) as { reports: unknown[]; bitsUp: number; bitsDown: number };
    expect(reports.reports).toHaveLength(12);
    const sent = lines.map((l) => Number(/payload bits sent (\d+)/.exec(l)![1]));
    const received = lines.map((l) => Number(/received (\d+)/.exec(l)![1]));
    expect(sent[0]! + sent[1]!).toBe(reports.bitsUp);
    expect(received[0]! + received[1]!).toBe(reports.bitsDown);
    // three tsx processes, two started after the first prints its address: one tsx start took
    // 9.5 s wall under a load average of 19 on 2 cores (measured); 120 s leaves a 4× margin
  }, 120_000);
});
