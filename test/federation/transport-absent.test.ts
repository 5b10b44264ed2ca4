// A client killed mid-round over loopback WebSockets, with the algorithms' own state machines
// (createAlgorithmRoundDriver, absent: "skip"): the server stays up, every round completes with the
// remaining clients, and a new connection with the killed client's token — restarted from the
// state it had persisted before its last step — is sent every update it missed and holds the
// server's model again (docs/network.md "Absent clients").
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readEnvelope } from "../../src/algorithms/index.js";
import { ready } from "../../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { Membership } from "../../src/federation/transport/client.js";
import type { ParticipantState } from "../../src/federation/transport/participant.js";
import type { RoundReport } from "../../src/federation/transport/coordinator.js";
import type { LogEvent, ParticipantFactory } from "../../src/federation/transport/driver.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";

beforeAll(async () => { await ready(); });
const servers: FederationServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

const session: SessionSpec = {
  algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
  problem: { kind: "logistic", clients: 4, perClient: 60, seed: 5 }, seed: 21, rounds: 14, batchSize: 10,
};
const KILLED = 1, KILL_ROUND = 3, REJOIN_AFTER = 6;

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe("a client killed mid-round", () => {
  it("does not stop the session; with its token and persisted state it rejoins and catches up exactly", async () => {
    const driver = await createAlgorithmRoundDriver(session);
    // the server model each round's downlink brings a client to (Artemis: clients hold it exactly)
    const atOpen = new Map<number, Float64Array>();
    const open = driver.open.bind(driver);
    driver.open = (round, candidates) => { atOpen.set(round, driver.server.model.slice()); return open(round, candidates); };

    const logs: LogEvent[] = [];
    const tokens = ["t0", "t1", "t2", "t3"];
    let rejoin: Membership | undefined;
    const srv = await serveFederation(driver, {
      tokens, deadlineMs: 60_000, maxFrameBytes: 1 << 22, roundGapMs: 20, log: (e) => logs.push(e),
      onRound: (r: RoundReport) => { if (r.round === REJOIN_AFTER) rejoin = joinFederationNode(srv.url, { token: tokens[KILLED]!, factory: restarted, state: persisted }); },
    });
    servers.push(srv);

    const mismatches: string[] = [];
    let rejoinedSteps = 0;
    const checked = algorithmParticipantFactory({
      observe: ({ round, client }) => {
        if (!sameBits(client.model, atOpen.get(round)!)) mismatches.push(`client ${client.id}, round ${round}`);
      },
    });

    // client 1 persists its state after each step (onState, as `fedquant join --state` does to
    // disk) and dies in round 3 after receiving its downlink, before answering
    let persisted: ParticipantState | undefined;
    let victim: Membership | undefined;
    const doomed: ParticipantFactory = async (s, c) => {
      const d = await checked(s, c);
      return { ...d, step: (round: number, down: Uint8Array) => {
        if (round === KILL_ROUND) { victim!.leave(); throw new Error("killed"); }
        return d.step(round, down);
      } };
    };
    // the restarted process: a new connection with the same token, from the persisted state
    const catchUps: number[] = [];
    const restarted: ParticipantFactory = async (s, c) => {
      const d = await checked(s, c);
      return { ...d, step: (round: number, down: Uint8Array) => {
        if (rejoinedSteps++ === 0) catchUps.push(...readEnvelope(down).sections.map((x) => x.round));
        return d.step(round, down);
      } };
    };

    const members = tokens.map((token, i) => joinFederationNode(srv.url, { token, factory: i === KILLED ? doomed : checked, onState: i === KILLED ? (st) => { persisted = st; } : undefined }));
    victim = members[KILLED];
    await expect(victim!.result).rejects.toThrow(/killed/);

    const done = await srv.finished;
    await Promise.all([...members.filter((_, i) => i !== KILLED).map((m) => m.result), rejoin!.result]);

    expect(done.reports).toHaveLength(session.rounds);
    expect(done.reports[KILL_ROUND]!.participants).toEqual([0, 2, 3]);
    expect(done.reports[KILL_ROUND]!.absent).toEqual([KILLED]);
    expect(done.reports.filter((r) => r.absent.includes(KILLED)).length).toBeGreaterThanOrEqual(REJOIN_AFTER - KILL_ROUND + 1);
    expect(done.reports.at(-1)!.participants).toEqual([0, 1, 2, 3]);
    expect(logs.find((e) => e.event === "left" && e.client === KILLED)?.message).toMatch(/client 1 disconnected/);
    expect(logs.some((e) => e.event === "rejoin" && e.client === KILLED)).toBe(true);
    expect(logs.some((e) => e.event === "repeat")).toBe(false);
    // its first envelope back carried every round since its last accepted one (round 2) …
    const back = done.reports.find((r) => r.round > KILL_ROUND && r.participants.includes(KILLED))!.round;
    expect(catchUps).toEqual(Array.from({ length: back - 2 }, (_, j) => 2 + j));
    // … and after applying it, like every client at every step, it held the server's model
    expect(rejoinedSteps).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });
});
