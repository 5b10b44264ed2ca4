// The server under misbehaving clients, over real loopback WebSockets: a client killed mid-round,
// garbage frames, an oversized frame, a wrong token, an uplink for the wrong round or dimension.
// In each case the server stays up, the round completes with the remaining clients, and the
// offender is dropped with a logged reason.
import { spawn } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { RandomStream } from "../../src/random/index.js";
import { encodeFrame } from "../../src/federation/transport/frames.js";
import { RawClient } from "./hardening/raw-client.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { RoundReport } from "../../src/federation/transport/coordinator.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import { toyFactory, toyServer } from "./transport-toy.js";

beforeAll(async () => { await ready(); });

const MAX_FRAME = 4096;
const cfg = { clients: 3, dim: 8, rounds: 4, seed: 31 };
const token = (i: number): string => `tok-${i}`;
const servers: FederationServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

/** A server for cfg where client 2 is the offender; the others are honest joinFederation clients. */
async function arena(): Promise<{ srv: FederationServer; logs: LogEvent[]; reports: RoundReport[]; honest: Promise<unknown>[] }> {
  const logs: LogEvent[] = [], reports: RoundReport[] = [];
  const srv = await serveFederation(toyServer(cfg), {
    tokens: [0, 1, 2].map(token), deadlineMs: 30_000, maxFrameBytes: MAX_FRAME,
    log: (e) => logs.push(e), onRound: (r) => reports.push(r),
  });
  servers.push(srv);
  const honest = [0, 1].map((i) => joinFederationNode(srv.url, { token: token(i), factory: toyFactory() }).result);
  return { srv, logs, reports, honest };
}

/** What every scenario must end with: all rounds done by the honest clients, the offender logged. */
async function expectSurvived(a: Awaited<ReturnType<typeof arena>>, reason: RegExp, event = "dropped", firstRound = [0, 1]): Promise<void> {
  const done = await a.srv.finished;
  await Promise.all(a.honest);
  expect(done.reports).toHaveLength(cfg.rounds);
  expect(done.reports[0]!.participants).toEqual(firstRound);
  for (const r of done.reports) expect(r.participants).toEqual(expect.arrayContaining([0, 1]));
  const offence = a.logs.find((e) => e.event === event);
  expect(offence?.message).toMatch(reason);
}

const qsgd = createCompressor("qsgd", { s: 4 });
const uplinkFor = (round: number, dim: number): Uint8Array =>
  qsgd.encode(RandomStream.of(1, "test").normals(dim), RandomStream.of(cfg.seed, "compress", round, 2));

describe("robustness of the server", () => {
  it("completes the round without a client killed mid-round (SIGKILL of its process)", async () => {
    const a = await arena();
    const hello = Buffer.from(encodeFrame({ type: "hello", round: 0, token: token(2) })).toString("hex");
    // a separate process that joins, announces the round it received, then hangs until killed
    const script = `
      import WebSocket from "ws";
      const ws = new WebSocket(process.argv[1]);
      ws.on("open", () => ws.send(Buffer.from(process.argv[2], "hex")));
      ws.on("message", (d) => { if (d[3] === 3) process.stdout.write("ROUND\\n"); });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, a.srv.url, hello], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((res) => child.stdout.on("data", (d: Buffer) => { if (d.toString().includes("ROUND")) res(); }));
    child.kill("SIGKILL");
    const done = await a.srv.finished;
    await Promise.all(a.honest);
    expect(done.reports[0]!.invited).toEqual([0, 1, 2]);
    expect(done.reports[0]!.participants).toEqual([0, 1]);
    expect(done.reports[0]!.absent).toEqual([2]);
    expect(a.logs.find((e) => e.event === "left" && e.client === 2)?.message).toMatch(/client 2 disconnected/);
    expect(done.reports).toHaveLength(cfg.rounds);
  });

  it("drops a client that sends a garbage frame", async () => {
    const a = await arena();
    const bad = await RawClient.connect(a.srv.url, token(2));
    await bad.next("round");
    bad.send(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5));
    expect((await bad.closed).code).toBe(4002);
    await expectSurvived(a, /client 2 dropped: E_PROTOCOL: bad frame magic de ad/);
  });

  it("drops a client that sends a frame over the maximum size, before buffering it", async () => {
    const a = await arena();
    const bad = await RawClient.connect(a.srv.url, token(2));
    await bad.next("round");
    bad.send(new Uint8Array(MAX_FRAME + 1));
    expect((await bad.closed).code).toBe(1009);
    await expectSurvived(a, new RegExp(`client 2 dropped: frame exceeds the ${MAX_FRAME}-byte maximum`));
  });

  it("rejects a wrong token without disturbing the session", async () => {
    const a = await arena();
    const intruder = await RawClient.connect(a.srv.url, "guess");
    expect(await intruder.next("bye")).toMatchObject({ reason: "wrong token" });
    expect((await intruder.closed).code).toBe(4001);
    // the real client 2 is still welcome, so the session can start
    const c2 = joinFederationNode(a.srv.url, { token: token(2), factory: toyFactory() });
    await expectSurvived(a, /rejected: wrong token/, "rejected", [0, 1, 2]);
    await c2.result;
  });

  it("drops a client that sends an uplink for a round other than the open one", async () => {
    const a = await arena();
    const bad = await RawClient.connect(a.srv.url, token(2));
    const { attempt } = await bad.next("round") as { attempt: number };
    bad.send(encodeFrame({ type: "uplink", round: 7, attempt, payload: uplinkFor(7, cfg.dim) }));
    expect((await bad.closed).code).toBe(4002);
    await expectSurvived(a, /client 2 dropped: uplink for round 7 \(attempt 1\), but the open round is 0 \(attempt 1\)/);
  });

  it("drops a client whose uplink has the wrong dimension, before it reaches the algorithm", async () => {
    const a = await arena();
    const bad = await RawClient.connect(a.srv.url, token(2));
    const { attempt } = await bad.next("round") as { attempt: number };
    bad.send(encodeFrame({ type: "uplink", round: 0, attempt, payload: uplinkFor(0, cfg.dim + 1) }));
    expect((await bad.next("bye") as { reason: string }).reason).toMatch(/E_DIM: message has dimension 9, expected 8/);
    await expectSurvived(a, /client 2 dropped: invalid uplink for round 0: E_DIM/);
  });

  it("rejects a connection whose first frame is not a hello, and stays up", async () => {
    const a = await arena();
    const bad = await RawClient.connect(a.srv.url);
    bad.send(encodeFrame({ type: "uplink", round: 0, attempt: 1, payload: uplinkFor(0, cfg.dim) }));
    expect((await bad.closed).code).toBe(4002);
    const c2 = joinFederationNode(a.srv.url, { token: token(2), factory: toyFactory() });
    await expectSurvived(a, /expected a hello frame first, got uplink/, "rejected", [0, 1, 2]);
    await c2.result;
  });
});
