// `fedquant serve --out … --resume`: the server process dies in the middle of a round, a new one
// resumes from the checkpoint written after the last completed round, the clients reconnect with
// their tokens (rewinding the step of the round the dead server never closed), and the session
// ends exactly where an uninterrupted one does — the whole server state bit for bit, the same
// bits per round. A damaged or foreign checkpoint is refused before anything listens.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FedquantError } from "../../src/errors.js";
import { ready } from "../../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver, type AlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { ParticipantFactory } from "../../src/federation/transport/driver.js";
import { buildServeCheckpoint, type ServeCheckpoint } from "../../src/federation/transport/serve-checkpoint.js";
import { readServeCheckpoint, writeServeCheckpoint } from "../../src/federation/transport/serve-checkpoint-node.js";
import type { SessionResult } from "../../src/federation/transport/coordinator.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";

beforeAll(async () => { await ready(); });
const dir = mkdtempSync(join(tmpdir(), "fedquant-resume-"));
const servers: FederationServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function fedquant(args: string[]): { proc: ChildProcess; out: Promise<{ code: number | null; stdout: string; stderr: string }>; stdout: () => string } {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let stdout = "", stderr = "";
  proc.stdout!.on("data", (b: Buffer) => { stdout += b.toString(); });
  proc.stderr!.on("data", (b: Buffer) => { stderr += b.toString(); });
  // bound on one process: under a load average of 19 on 2 cores one tsx start took 9.5 s wall
  // (measured), and the session's own work adds a few seconds; 170 s stops a hung process
  const timer = setTimeout(() => proc.kill("SIGKILL"), 170_000);
  const out = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => proc.on("exit", (c) => { clearTimeout(timer); resolve({ code: c, stdout, stderr }); }));
  return { proc, out, stdout: () => stdout };
}

const until = async (what: string, ok: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const session: SessionSpec = {
  algorithm: "artemis",
  config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } }, participation: 0.5 },
  problem: { kind: "logistic", clients: 4, perClient: 60, seed: 5 }, seed: 21, rounds: 12, batchSize: 10,
};
const tokens = ["token-0-secret-xx", "token-1-secret-xx", "token-2-secret-xx", "token-3-secret-xx"];
const CRASH_ROUND = 5;

function code(f: () => unknown): string | undefined {
  try { f(); } catch (e) { return e instanceof FedquantError ? e.code : `not a FedquantError: ${String(e)}`; }
  return undefined;
}

/** Serve with a checkpoint after every round (what `fedquant serve --out` does). */
async function serve(driver: AlgorithmRoundDriver, path: string, resume?: ServeCheckpoint, port = 0): Promise<FederationServer> {
  const srv: FederationServer = await serveFederation(driver, {
    tokens: resume?.tokens ?? tokens, deadlineMs: 20_000, maxFrameBytes: 1 << 22, port, resume: resume?.coordinator,
    onRound: () => writeServeCheckpoint(path, buildServeCheckpoint({
      session: driver.checked.spec, tokens, initialLoss: driver.initialLoss, coordinator: srv.coordinator.checkpoint(), server: driver.server.toJSON(),
    })),
  });
  servers.push(srv);
  return srv;
}

describe("serve checkpoints and --resume", () => {
  let reference: { state: unknown; result: SessionResult };
  let checkpointPath: string;

  it("a server killed mid-round resumes from its checkpoint; the session ends bit for bit as an uninterrupted one", async () => {
    // the uninterrupted run
    const refDriver = await createAlgorithmRoundDriver(session);
    const ref = await serve(refDriver, join(dir, "ref.json"));
    const refMembers = tokens.map((token) => joinFederationNode(ref.url, { token, factory: algorithmParticipantFactory() }));
    const refResult = await ref.finished;
    await Promise.all(refMembers.map((m) => m.result));
    reference = { state: refDriver.server.toJSON(), result: refResult };

    // the interrupted run: the server dies once the first uplink of round CRASH_ROUND arrived
    checkpointPath = join(dir, "checkpoint.json");
    const d1 = await createAlgorithmRoundDriver(session);
    let srv1!: FederationServer;
    const check = d1.check.bind(d1);
    let crashed = false;
    d1.check = (round, client, up) => {
      check(round, client, up);
      if (round === CRASH_ROUND && !crashed) { crashed = true; queueMicrotask(() => { void srv1.close(); }); }
    };
    srv1 = await serve(d1, checkpointPath);
    const lost = srv1.finished.then(() => "finished", (e: unknown) => (e as Error).message);

    // clients count the downlink bits of every step, per round, to account for the re-sent round
    const stepBits = new Map<string, number[]>();
    const factory: ParticipantFactory = async (s, c) => {
      const d = await algorithmParticipantFactory()(s, c);
      return { ...d, step: (round: number, down: Uint8Array) => {
        const k = `${c}:${round}`;
        stepBits.set(k, [...(stepBits.get(k) ?? []), d.bits(down)]);
        return d.step(round, down);
      } };
    };
    const members = tokens.map((token) => joinFederationNode(srv1.url, { token, factory, retryDelayMs: 50, retries: 12 }));
    expect(await lost).toMatch(/stopped at round 5/);

    const cp = readServeCheckpoint(checkpointPath, d1.checked.spec, tokens);
    expect(cp.coordinator.round).toBe(CRASH_ROUND);
    expect(cp.server.round).toBe(CRASH_ROUND);
    const d2 = await createAlgorithmRoundDriver(session, { restore: cp.server });
    const srv2 = await serve(d2, checkpointPath, cp, srv1.port);
    const result = await srv2.finished;
    const joined = await Promise.all(members.map((m) => m.result));

    // the server's whole state (model, memories, catch-up history, streams' position) bit for bit
    expect(d2.server.toJSON()).toEqual(reference.state);
    expect(result.reports.map((r) => r.round)).toEqual([...Array(session.rounds).keys()]);
    for (const k of ["invited", "participants", "absent", "bitsUp", "bitsDown", "outcome"] as const) {
      expect(result.reports.map((r) => r[k])).toEqual(reference.result.reports.map((r) => r[k]));
    }
    expect(result.bitsUp).toBe(reference.result.bitsUp);
    expect(result.bitsDown).toBe(reference.result.bitsDown);
    // the clients' counts add up: uplinks used = the server's; downlinks received = the server's
    // plus the round-5 downlinks the dead server sent before it died (sent again by the new one)
    const usedUp = joined.reduce((a, j) => a + j.bitsUp - j.bitsUpRejected, 0);
    expect(usedUp).toBe(result.bitsUp);
    let resent = 0;
    for (const bits of stepBits.values()) resent += bits.slice(0, -1).reduce((a, b) => a + b, 0);
    for (const [k, bits] of stepBits) if (bits.length > 1) expect(k.endsWith(`:${CRASH_ROUND}`)).toBe(true);
    expect(resent).toBeGreaterThan(0);
    expect(joined.reduce((a, j) => a + j.bitsDown, 0)).toBe(result.bitsDown + resent);
    expect(joined.reduce((a, j) => a + j.bitsUpRejected, 0)).toBeGreaterThan(0); // someone rewound its round-5 step
    // the final checkpoint is of the finished session: there is nothing left to resume
    const last = readServeCheckpoint(checkpointPath, session, tokens);
    expect(last.coordinator.round).toBe(session.rounds);
    await expect(serveFederation(d2, { tokens, deadlineMs: 1000, maxFrameBytes: 1 << 20, resume: last.coordinator })).rejects.toThrow(/already finished/);
  }, 60_000);

  it("a client that already applied rounds the checkpoint does not hold refuses the resumed server (checkpointEvery > 1)", async () => {
    // checkpoints after round 2 only (as checkpointEvery 3 would), the server dies in round 5:
    // the clients applied acknowledged rounds 3 and 4, which no rewind can undo
    const path = join(dir, "every3.json");
    const d1 = await createAlgorithmRoundDriver(session);
    const check = d1.check.bind(d1);
    let srv1!: FederationServer;
    d1.check = (round, client, up) => { check(round, client, up); if (round === CRASH_ROUND) queueMicrotask(() => { void srv1.close(); }); };
    srv1 = await serveFederation(d1, {
      tokens, deadlineMs: 20_000, maxFrameBytes: 1 << 22,
      onRound: (r) => {
        if ((r.round + 1) % 3 !== 0) return;
        writeServeCheckpoint(path, buildServeCheckpoint({ session, tokens, initialLoss: d1.initialLoss, coordinator: srv1.coordinator.checkpoint(), server: d1.server.toJSON() }));
      },
    });
    servers.push(srv1);
    const welcomes = tokens.map(() => 0);
    const members = tokens.map((token, i) => joinFederationNode(srv1.url, {
      token, factory: algorithmParticipantFactory(), retryDelayMs: 50, retries: 12,
      log: (e) => { if (e.event === "welcome") welcomes[i]!++; },
    }));
    const ends: (string | undefined)[] = tokens.map(() => undefined);
    members.forEach((m, i) => { m.result.then(() => { ends[i] = "finished"; }, (e: unknown) => { ends[i] = String(e); }); });
    await srv1.finished.catch(() => {});
    const cp = readServeCheckpoint(path, session, tokens);
    expect(cp.coordinator.round).toBe(3);
    const d2 = await createAlgorithmRoundDriver(session, { restore: cp.server });
    await serve(d2, join(dir, "every3-resumed.json"), cp, srv1.port);
    // with participation 0.5 a client that stepped in neither round 3 nor 4 is welcomed by the
    // resumed server, and then waits for the refused ones (minClients: all) for ever: the test
    // waits until every client is either refused or welcomed a second time, then ends them
    await until("every client refused or welcomed again", () => ends.every((e, i) => e !== undefined || welcomes[i]! >= 2), 30_000);
    for (const m of members) m.leave();
    const refused = ends.filter((e) => e !== undefined && e !== "finished") as string[];
    expect(refused.length).toBeGreaterThan(0);
    for (const why of refused) expect(why).toMatch(/E_STATE.*server is at round 3, but this client already applied round [345]/);
  }, 60_000);

  it("refuses a damaged or foreign checkpoint with E_STATE / E_CONFIG", async () => {
    const good = JSON.parse(readFileSync(checkpointPath, "utf8")) as ServeCheckpoint;
    const p = join(dir, "bad.json");
    const read = (x: unknown, s: SessionSpec = session, t: string[] | undefined = tokens): (() => unknown) => {
      writeFileSync(p, typeof x === "string" ? x : JSON.stringify(x));
      return () => readServeCheckpoint(p, s, t);
    };
    expect(code(read(JSON.stringify(good).slice(0, 200)))).toBe("E_STATE");
    expect(code(read({ ...good, format: "something" }))).toBe("E_STATE");
    expect(code(read({ ...good, server: null }))).toBe("E_STATE");
    expect(code(() => readServeCheckpoint(join(dir, "absent.json"), session, tokens))).toBe("E_IO");
    expect(() => read(good, { ...session, seed: 22 })()).toThrow(/E_CONFIG.*seed: "22" in the config, "21" in the checkpoint/);
    expect(() => read(good, { ...session, config: { ...session.config, gamma: 0.25 } })()).toThrow(/E_CONFIG.*config\.gamma/);
    expect(() => read(good, session, ["x-token-0", ...tokens.slice(1)])()).toThrow(/E_CONFIG.*tokens.*client\(s\) 0/);
    expect(code(read(good, session, undefined))).toBeUndefined(); // generated tokens come from the checkpoint

    // damaged parts the algorithm and the coordinator restore
    const mid = { ...good.server, round: 5 };
    const cp5 = { ...good.coordinator, round: 5, reports: good.coordinator.reports.slice(0, 5), accepted: good.coordinator.accepted.map(() => -1), invited: good.coordinator.invited.map(() => -1) };
    await expect(createAlgorithmRoundDriver(session, { restore: { ...mid, dim: 3 } })).rejects.toMatchObject({ code: "E_STATE" });
    await expect(createAlgorithmRoundDriver(session, { restore: { ...mid, data: null as never } })).rejects.toMatchObject({ code: "E_STATE" });
    await expect(createAlgorithmRoundDriver(session, { restore: { ...mid, seed: "22" } })).rejects.toMatchObject({ code: "E_STATE" });
    const d = await createAlgorithmRoundDriver(session);
    for (const bad of [{ ...cp5, reports: cp5.reports.slice(1) }, { ...cp5, accepted: [0, 1] }, { ...cp5, round: -1 }, { ...cp5, reports: [...cp5.reports.slice(0, 4), { round: 4 }] }]) {
      await expect(serveFederation(d, { tokens, deadlineMs: 1000, maxFrameBytes: 1 << 20, resume: bad as never })).rejects.toMatchObject({ code: "E_STATE" });
    }
  });

  it("fedquant serve killed with SIGKILL, restarted with --resume: the joined processes reconnect and the session ends as an uninterrupted one", async () => {
    const cli: SessionSpec = { ...session, problem: { kind: "logistic", clients: 2, perClient: 400, seed: 3 }, rounds: 600, batchSize: "full" };
    const cliTokens = tokens.slice(0, 2);
    // the uninterrupted run, in process
    const refDriver = await createAlgorithmRoundDriver(cli);
    const ref = await serveFederation(refDriver, { tokens: cliTokens, deadlineMs: 20_000, maxFrameBytes: 1 << 22 });
    servers.push(ref);
    await Promise.all(cliTokens.map((token) => joinFederationNode(ref.url, { token, factory: algorithmParticipantFactory() }).result));
    const refResult = await ref.finished;

    const cfgPath = join(dir, "kill.json");
    const out = join(dir, "kill-out");
    writeFileSync(cfgPath, JSON.stringify({ session: cli, tokens: cliTokens, port: 0, deadlineMs: 20_000 }));
    const first = fedquant(["serve", cfgPath, "--out", out, "--quiet"]);
    await until("the server's address", () => /at ws:\/\/127\.0\.0\.1:(\d+)/.test(first.stdout()), 60_000);
    const port = /at ws:\/\/127\.0\.0\.1:(\d+)/.exec(first.stdout())![1]!;
    // reconnection bounded by time, not a count: 12 attempts of the jittered back-off last ~20 s,
    // less than a loaded machine may need to start the resumed server (tsx, see fedquant())
    const clients = cliTokens.map((t) => fedquant(["join", `ws://127.0.0.1:${port}`, "--token", t, "--quiet", "--retry-for", "150"]));
    const cpPath = join(out, "checkpoint.json");
    const roundOf = (): number => { try { return (JSON.parse(readFileSync(cpPath, "utf8")) as ServeCheckpoint).coordinator.round; } catch { return -1; } };
    await until("a checkpoint after round 3", () => roundOf() >= 4, 60_000);
    first.proc.kill("SIGKILL");
    const killed = await first.out;
    expect(killed.code).toBeNull();
    const at = roundOf();
    expect(at).toBeLessThan(cli.rounds); // it died mid-session

    const second = fedquant(["serve", cfgPath, "--out", out, "--resume", "--quiet", "--port", port]);
    const [s2, ...joined] = await Promise.all([second.out, ...clients.map((c) => c.out)]);
    expect(s2.code, s2.stderr).toBe(0);
    expect(s2.stdout).toMatch(new RegExp(`resumed from .* after round ${at - 1}`));
    for (const j of joined) expect(j.code, j.stderr).toBe(0);
    const final = JSON.parse(readFileSync(cpPath, "utf8")) as ServeCheckpoint;
    expect(final.server).toEqual(refDriver.server.toJSON());
    const reports = JSON.parse(readFileSync(join(out, "reports.json"), "utf8")) as SessionResult;
    expect(reports.reports.map((r) => [r.round, r.bitsUp, r.bitsDown, r.participants])).toEqual(refResult.reports.map((r) => [r.round, r.bitsUp, r.bitsDown, r.participants]));
    expect([reports.bitsUp, reports.bitsDown]).toEqual([refResult.bitsUp, refResult.bitsDown]);
    // the clients sent every uplink the server used, plus at most the in-flight round's (rewound)
    const sent = joined.map((j) => Number(/payload bits sent (\d+)/.exec(j.stdout)![1]));
    const lastRound = refResult.reports.at(-1)!;
    expect(sent[0]! + sent[1]!).toBeGreaterThanOrEqual(reports.bitsUp);
    expect(sent[0]! + sent[1]! - reports.bitsUp).toBeLessThanOrEqual(2 * Math.max(...refResult.reports.map((r) => r.bitsUp), lastRound.bitsUp));
    expect(existsSync(`${cpPath}.tmp`)).toBe(false);
  }, 180_000);

  it("fedquant serve --resume refuses a mismatched or damaged checkpoint and does not listen", async () => {
    const cfgPath = join(dir, "serve.json");
    const out = join(dir, "out");
    const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => new Promise((resolve) => {
      const proc = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "", stderr = "";
      proc.stdout.on("data", (b: Buffer) => { stdout += b.toString(); });
      proc.stderr.on("data", (b: Buffer) => { stderr += b.toString(); });
      // a refusal comes right after start-up; one tsx start took 9.5 s wall under load (see fedquant())
      const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
      proc.on("exit", (c) => { clearTimeout(timer); resolve({ code: c, stdout, stderr }); });
    });
    writeFileSync(cfgPath, JSON.stringify({ session: { ...session, rounds: 13 }, tokens, port: 0 }));
    rmSync(out, { recursive: true, force: true });
    const none = await run(["serve", cfgPath, "--out", out, "--resume", "--quiet"]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/E_IO.*no checkpoint/);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "checkpoint.json"), readFileSync(checkpointPath));
    const mismatch = await run(["serve", cfgPath, "--out", out, "--resume", "--quiet"]);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toMatch(/E_CONFIG.*rounds: 13 in the config, 12 in the checkpoint/);
    expect(mismatch.stdout).not.toMatch(/ws:\/\//);
    writeFileSync(join(out, "checkpoint.json"), "{\"format\": \"fedquant.serve-checkpoint\", \"vers");
    writeFileSync(cfgPath, JSON.stringify({ session, tokens, port: 0 }));
    const damaged = await run(["serve", cfgPath, "--out", out, "--resume", "--quiet"]);
    expect(damaged.code).not.toBe(0);
    expect(damaged.stderr).toMatch(/E_STATE/);
    expect(damaged.stdout).not.toMatch(/ws:\/\//);
  }, 190_000); // three processes in sequence, each bounded at 60 s
});
