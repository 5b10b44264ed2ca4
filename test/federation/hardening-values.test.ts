// Values, accounting, reconnection budget and config exposure (issue #10, problems 5, 9, 11, 12):
// a well-formed uplink of absurd norm is refused before it reaches the model; the bits a round
// report counts are the ones used, with separate counters for what was sent and not used; a
// client rides out a server that is away longer than its old 8 retries; a resumed server says
// who is missing; short config tokens are refused.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAlgorithm, toSeed, uplinkStream, writeEnvelope } from "../../src/algorithms/index.js";
import { ready } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { messageBits } from "../../src/wire/index.js";
import { encodeFrame } from "../../src/federation/transport/frames.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { checkServeConfig } from "../../src/federation/transport/serve-config.js";
import type { LogEvent, ParticipantFactory } from "../../src/federation/transport/driver.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { toyFactory, toyServer } from "./transport-toy.js";
import { RawClient } from "./hardening/raw-client.js";

beforeAll(async () => { await ready(); });
const servers: FederationServer[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
});
const token = (i: number): string => `values-token-${i}-xyz`;

describe("value validation", () => {
  const session: SessionSpec = {
    algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
    problem: { kind: "logistic", clients: 3, perClient: 60, seed: 5 }, seed: 23, rounds: 8, batchSize: 10,
  };
  const ATTACK = 3;

  it("refuses a well-formed uplink of norm 3e38 and drops its sender; the model stays finite and the loss falls", async () => {
    const driver = await createAlgorithmRoundDriver(session);
    const logs: LogEvent[] = [];
    const srv = await serveFederation(driver, { tokens: [0, 1, 2].map(token), deadlineMs: 30_000, maxFrameBytes: 1 << 20, log: (e) => logs.push(e) });
    servers.push(srv);
    const algo = createAlgorithm(session.algorithm, session.config);
    const seed = toSeed(session.seed);
    const honest = algorithmParticipantFactory();
    // client 2 behaves until round ATTACK, then sends a valid envelope whose vector has norm 3e38
    const hostile: ParticipantFactory = async (s, c) => {
      const d = await honest(s, c);
      return { ...d, step: (round: number, down: Uint8Array) => {
        if (round !== ATTACK) return d.step(round, down);
        const v = Float32Array.of(3e38, 0); // one coordinate: QSGD's level is exactly s, no randomness
        const msg = algo.up.encode(v, uplinkStream(seed, round, c));
        return writeEnvelope({ direction: "up", algorithm: algo.id, client: c, round, sections: [{ round, slot: 0, bytes: msg }] });
      } };
    };
    const members = [0, 1, 2].map((i) => joinFederationNode(srv.url, { token: token(i), factory: i === 2 ? hostile : honest, retries: 0 }));
    const done = await srv.finished;
    await Promise.all(members.slice(0, 2).map((m) => m.result));
    await expect(members[2]!.result).rejects.toThrow(/norm .* exceeds 1000 × the median/);
    expect(logs.find((e) => e.event === "dropped" && e.client === 2)?.message).toMatch(/uplink for round 3 refused: its norm 3\.0+e\+38 exceeds/);
    expect(done.reports[ATTACK]!.participants).toEqual([0, 1]);
    expect(done.reports[ATTACK]!.bitsUpRejected).toBeGreaterThan(0);
    const losses = done.reports.map((r) => r.outcome.loss!);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(driver.initialLoss!);
    expect(driver.server.model.every(Number.isFinite)).toBe(true);
  });

  it("with maxNormRatio 0 (validation off) the same uplink reaches the model (what the default prevents)", async () => {
    const driver = await createAlgorithmRoundDriver({ ...session, rounds: 1 }, { maxNormRatio: 0 });
    const algo = createAlgorithm(session.algorithm, session.config);
    const seed = toSeed(session.seed);
    const down = driver.open(0, [0, 1, 2]);
    expect(down.downlinks.size).toBe(3);
    const ups = new Map<number, Uint8Array>();
    for (const c of [0, 1, 2]) {
      const v = Float32Array.of(c === 2 ? 3e38 : 0.1, 0);
      ups.set(c, writeEnvelope({ direction: "up", algorithm: algo.id, client: c, round: 0, sections: [{ round: 0, slot: 0, bytes: algo.up.encode(v, uplinkStream(seed, 0, c)) }] }));
      driver.check(0, c, ups.get(c)!);
    }
    expect(driver.screen!(0, ups).size).toBe(0);
    const out = driver.close(0, ups) as { loss: number };
    expect(out.loss).toBeGreaterThan(1e30); // the model was destroyed: the default bound is what stops this
  });
});

describe("accounting", () => {
  it("counts downlinks to an absent client and a late uplink apart from the bits used", async () => {
    const cfg = { clients: 3, dim: 8, rounds: 3, seed: 61 };
    const srv = await serveFederation(toyServer(cfg), { tokens: [0, 1, 2].map(token), deadlineMs: 200, maxFrameBytes: 1 << 20, maxMissedRounds: 0 });
    servers.push(srv);
    const late = await RawClient.connect(srv.url, token(2));
    raws.push(late);
    const honest = [0, 1].map((i) => joinFederationNode(srv.url, { token: token(i), factory: toyFactory() }).result);
    const r0 = await late.next("round") as { round: number; attempt: number };
    // answer round 0 after its deadline: received, not used
    await new Promise((r) => setTimeout(r, 400));
    const qsgdUplink = (await import("../../src/compressors/index.js")).createCompressor("qsgd", { s: 4 })
      .encode(RandomStream.of(1, "test").normals(cfg.dim), RandomStream.of(cfg.seed, "compress", 0, 2));
    late.send(encodeFrame({ type: "uplink", round: r0.round, attempt: r0.attempt, payload: qsgdUplink }));
    await Promise.all(honest);
    const done = await srv.finished;
    // identity downlinks of the same dimension cost every message the same bits b = bitsDown / 2
    // (two participants, no catch-up for them); the absent client 2 has applied nothing, so the
    // toy sends it round r's downlink plus r − 1 catch-ups: max(1, r) · b sent and not used
    expect(done.reports.map((r) => r.absent)).toEqual([[2], [2], [2]]);
    for (const r of done.reports) expect(r.bitsDownUnused).toBe(Math.max(1, r.round) * r.bitsDown / 2);
    expect(done.bitsUpRejected).toBe(messageBits(qsgdUplink).payloadBits);
    expect(done.bitsUp).toBe(done.reports.reduce((a, r) => a + r.bitsUp, 0));
  });
});

describe("reconnection budget and missing clients", () => {
  it("a client keeps trying for retryForMs, not a count: it joins a server that starts 1.5 s later", async () => {
    const cfg = { clients: 1, dim: 4, rounds: 3, seed: 3 };
    // find a free port, then leave it closed for a while
    const probe = await serveFederation(toyServer(cfg), { tokens: [token(0)], deadlineMs: 1000, maxFrameBytes: 4096 });
    const port = probe.port;
    await probe.close();
    const m = joinFederationNode(`ws://127.0.0.1:${port}`, { token: token(0), factory: toyFactory(), retryDelayMs: 20, maxRetryDelayMs: 50 });
    await new Promise((r) => setTimeout(r, 1500)); // ≥ 30 attempts: the old default (8 in a row) gave up after ~0.4 s
    const srv = await serveFederation(toyServer(cfg), { tokens: [token(0)], deadlineMs: 1000, maxFrameBytes: 4096, port });
    servers.push(srv);
    const r = await m.result;
    expect(r.accepted).toBe(3);
  });

  it("a waiting server logs which clients are missing", async () => {
    const logs: LogEvent[] = [];
    const srv = await serveFederation(toyServer({ clients: 3, dim: 4, rounds: 2, seed: 3 }), {
      tokens: [0, 1, 2].map(token), deadlineMs: 1000, maxFrameBytes: 4096, statusEveryMs: 50, log: (e) => logs.push(e),
    });
    servers.push(srv);
    const c1 = joinFederationNode(srv.url, { token: token(1), factory: toyFactory() });
    await new Promise((r) => setTimeout(r, 300));
    expect(logs.filter((e) => e.event === "missing").at(-1)?.message).toMatch(/missing client\(s\) 0, 2 \(1 connected\)/);
    const rest = [0, 2].map((i) => joinFederationNode(srv.url, { token: token(i), factory: toyFactory() }).result);
    await Promise.all([c1.result, ...rest, srv.finished]);
  });
});

describe("config exposure", () => {
  it("refuses config tokens shorter than 16 characters and duplicated ones", () => {
    const session = { algorithm: "sgd", config: { gamma: 0.1 }, problem: { kind: "logistic", clients: 2, seed: 1 }, seed: 1, rounds: 2 };
    expect(() => checkServeConfig({ session, tokens: ["short-token-15ch", "abcdefgh12345"] })).toThrow(/at least 16 characters/);
    expect(() => checkServeConfig({ session, tokens: ["same-token-16-chars", "same-token-16-chars"] })).toThrow(/its own token/);
    expect(checkServeConfig({ session, tokens: ["token-of-client-0", "token-of-client-1"] }).tokens).toHaveLength(2);
  });

  it("reads roundEveryMs (a round cadence, integer ms ≥ 1) from a serve config and refuses 0 with E_CONFIG", () => {
    const session = { algorithm: "sgd", config: { gamma: 0.1 }, problem: { kind: "logistic", clients: 2, seed: 1 }, seed: 1, rounds: 2 };
    expect(checkServeConfig({ session, roundEveryMs: 1000 }).roundEveryMs).toBe(1000);
    expect(checkServeConfig({ session }).roundEveryMs).toBeUndefined();
    expect(() => checkServeConfig({ session, roundEveryMs: 0 })).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(/roundEveryMs/) }));
  });
});
