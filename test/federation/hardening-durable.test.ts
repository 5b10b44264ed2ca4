// Durable clients (issue #10, problem 4): a `fedquant join --state DIR` process SIGKILLed mid-
// session and restarted with the same DIR continues from its saved state; with absent: "repeat"
// the session then ends with the uninterrupted run's server state, bit for bit. Restarted
// without its state, the same token is refused for good (close 4008) instead of failing later.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";

beforeAll(async () => { await ready(); });
const dir = mkdtempSync(join(tmpdir(), "fedquant-durable-"));
const servers: FederationServer[] = [];
const procs: ChildProcess[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });
afterAll(() => { for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL"); rmSync(dir, { recursive: true, force: true }); });

function join1(url: string, token: string, state?: string): { proc: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const args = ["--import", "tsx", "src/cli/main.ts", "join", url, "--token", token, "--quiet", ...(state ? ["--state", state] : [])];
  const proc = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let out = "", err = "";
  proc.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  return { proc, done: new Promise((r) => proc.on("exit", (code) => r({ code, out, err }))) };
}

const session: SessionSpec = {
  algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
  problem: { kind: "logistic", clients: 2, perClient: 80, seed: 9 }, seed: 17, rounds: 40, batchSize: 10,
};
const tokens = ["durable-token-0-xxxx", "durable-token-1-xxxx"];

describe("durable clients", () => {
  it("fedquant join --state, SIGKILLed and restarted, ends the session as an uninterrupted run (absent: repeat)", async () => {
    const refDriver = await createAlgorithmRoundDriver(session);
    const ref = await serveFederation(refDriver, { tokens, deadlineMs: 20_000, maxFrameBytes: 1 << 20 });
    servers.push(ref);
    await Promise.all(tokens.map((token) => joinFederationNode(ref.url, { token, factory: algorithmParticipantFactory() }).result));
    await ref.finished;

    const driver = await createAlgorithmRoundDriver(session, { absent: "repeat" });
    const srv = await serveFederation(driver, { tokens, deadlineMs: 300, maxFrameBytes: 1 << 20, roundGapMs: 30, maxMissedRounds: 0 });
    servers.push(srv);
    const state = join(dir, "client-1");
    const local = joinFederationNode(srv.url, { token: tokens[0]!, factory: algorithmParticipantFactory() });
    const first = join1(srv.url, tokens[1]!, state);
    const statePath = join(state, "client-state.json");
    const lastRound = (): number => { try { return (JSON.parse(readFileSync(statePath, "utf8")) as { lastRound: number }).lastRound; } catch { return -1; } };
    for (let t = 0; lastRound() < 5; t++) {
      // 90 s: the process must start first (one tsx start took 9.5 s wall at load average 19 on 2 cores)
      if (t > 1800) throw new Error("the client never saved a state past round 5");
      await new Promise((r) => setTimeout(r, 50));
    }
    first.proc.kill("SIGKILL");
    await first.done;
    expect(existsSync(statePath)).toBe(true);

    // without its state the token is refused for good, with the reason
    const lost = await join1(srv.url, tokens[1]!).done;
    expect(lost.code).not.toBe(0);
    expect(lost.err).toMatch(/state is lost or older than the server's[\s\S]*close code 4008/);

    const second = join1(srv.url, tokens[1]!, state);
    const [r2] = await Promise.all([second.done, local.result]);
    expect(r2.code, r2.err).toBe(0);
    const done = await srv.finished;
    expect(done.reports).toHaveLength(session.rounds);
    expect(driver.server.toJSON()).toEqual(refDriver.server.toJSON());
  }, 120_000);
});
