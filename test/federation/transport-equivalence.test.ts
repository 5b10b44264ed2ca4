// Equivalence: one session run over loopback WebSockets (server + clients driving the
// algorithms' state machines) and the in-process simulator, from the same config and seed,
// give the same trajectory bit for bit — losses, final model, and bits per round. With a client in
// trouble (connection cut, deadline missed): either the round is run again (absent: "repeat") and
// the trajectory is still the simulator's, or it closes without that client (absent: "skip",
// the default) and the trajectory is the in-process one with the same absences.
import { createServer, connect, type Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { simulate } from "../../src/federation/simulator.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { RoundReport } from "../../src/federation/transport/coordinator.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { minibatchOracle } from "../../src/federation/simulator-oracle.js";
import { federatedLoss } from "../../src/models/index.js";
import type { ClientId } from "../../src/algorithms/index.js";

beforeAll(async () => { await ready(); });
const servers: FederationServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

/** A TCP relay whose connections the test can cut, like a network failure. */
async function relay(port: number): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const live = new Set<Socket>();
  const s = createServer((a) => {
    const b = connect(port, "127.0.0.1");
    live.add(a); live.add(b);
    a.pipe(b); b.pipe(a);
    const end = (): void => { a.destroy(); b.destroy(); };
    a.on("error", end); b.on("error", end); a.on("close", end); b.on("close", end);
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const r = {
    port: (s.address() as { port: number }).port,
    cut() { for (const x of live) x.destroy(); live.clear(); },
    close() { r.cut(); return new Promise<void>((res) => s.close(() => res())); },
  };
  servers.push(r as unknown as FederationServer);
  return r;
}

interface Trouble {
  client: number;
  /** from this round on, at its first step */
  round: number;
  /** "cut": its connection is cut while it steps; "late": its step waits until the server gave up on the round */
  kind: "cut" | "late";
}

/** Runs the session over loopback WebSockets, optionally with one client in trouble. */
async function overNetwork(session: SessionSpec, trouble?: Trouble, absent: "skip" | "repeat" = "skip"): Promise<{ reports: RoundReport[]; finalW: Float64Array; initialLoss: number; repeats: number; lates: number }> {
  const driver = await createAlgorithmRoundDriver(session, { absent });
  const n = driver.problem.shards.length;
  const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
  let repeats = 0, lates = 0;
  // a step waiting here resumes once the server gave up on a round (so it is surely late)
  const waiting: (() => void)[] = [];
  const srv = await serveFederation(driver, {
    tokens, deadlineMs: trouble?.kind === "late" ? 200 : 60_000, maxFrameBytes: 1 << 22,
    // absent: skip does not wait for a cut client: slow the rounds so it is back before the end
    roundGapMs: trouble?.kind === "cut" && absent === "skip" ? 25 : 0,
    log: (e) => {
      if (e.event === "repeat") repeats++;
      if (e.event === "deadline") for (const w of waiting.splice(0)) w();
      if (e.event === "late") lates++;
    },
  });
  servers.push(srv);
  const net = trouble?.kind === "cut" ? await relay(srv.port) : undefined;
  const factory = algorithmParticipantFactory();
  const members = tokens.map((token, i) => {
    if (!trouble || i !== trouble.client) return joinFederationNode(srv.url, { token, factory });
    let done = false;
    const troubled = async (s: unknown, c: number) => {
      const d = await factory(s, c);
      return { ...d, step: async (round: number, down: Uint8Array) => {
        if (round >= trouble.round && !done) {
          done = true;
          // cut: the uplink is lost with the connection; late: it arrives after the round was abandoned
          if (trouble.kind === "cut") net!.cut(); else await new Promise<void>((r) => waiting.push(r));
        }
        return d.step(round, down);
      } };
    };
    const url = net ? `ws://127.0.0.1:${net.port}` : srv.url;
    return joinFederationNode(url, { token, factory: troubled, retryDelayMs: 20 });
  });
  const done = await srv.finished;
  await Promise.all(members.map((m) => m.result));
  return { reports: done.reports, finalW: driver.server.model.slice(), initialLoss: driver.initialLoss!, repeats, lates };
}

async function inProcess(session: SessionSpec) {
  // the same session, built the same way, handed to the simulator
  const driver = await createAlgorithmRoundDriver(session, { evaluate: false });
  const { algorithm, seed, batchSize } = driver.checked;
  return simulate({
    algorithm, objective: driver.problem.objective, workers: driver.problem.shards,
    iterations: session.rounds, batchSize, seed,
  });
}

/** The same session in-process, with the absences the network run reported: receive(…, { allowAbsent }). */
async function replayWithAbsences(session: SessionSpec, reports: RoundReport[]): Promise<{ finalW: Float64Array; losses: number[] }> {
  const driver = await createAlgorithmRoundDriver(session, { evaluate: false });
  const { algorithm, seed, batchSize } = driver.checked;
  const { shards, objective, dim } = driver.problem;
  const w0 = new Float64Array(dim);
  const server = algorithm.createServer({ w0, clients: shards.length, seed });
  const clients = shards.map((_, i) => algorithm.createClient({ id: i, w0, seed }));
  const oracles = shards.map((s) => minibatchOracle(objective, s, seed, batchSize));
  const losses: number[] = [];
  for (const r of reports) {
    const down = server.broadcast(r.round);
    expect([...down.keys()]).toEqual(r.invited);
    const up = new Map<ClientId, Uint8Array>(r.participants.map((id) => [id, clients[id]!.step(r.round, down.get(id)!, oracles[id]!)]));
    server.receive(r.round, up, { allowAbsent: true });
    losses.push(federatedLoss(objective, server.model, shards));
  }
  return { finalW: server.model.slice(), losses };
}

const diffs = (cum: number[]): number[] => cum.slice(1).map((v, k) => v - cum[k]!);

const sessions: [string, SessionSpec][] = [
  ["artemis, QSGD both ways, half the clients per round, minibatches", {
    algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } }, participation: 0.5 },
    problem: { kind: "logistic", clients: 6, perClient: 100, seed: 3 }, seed: 11, rounds: 25, batchSize: 10,
  }],
  ["mcm, full participation, full gradients", {
    algorithm: "mcm", config: { gamma: 0.5 },
    problem: { kind: "logistic", clients: 4, perClient: 80, seed: 4 }, seed: 12, rounds: 15,
  }],
];

describe("network run = simulator run", () => {
  it.each(sessions)("gives the simulator's trajectory for %s", async (_name, session) => {
    const net = await overNetwork(session);
    const sim = await inProcess(session);
    expect(net.initialLoss).toBe(sim.loss[0]);
    expect(net.reports.map((r) => r.outcome.loss)).toEqual(sim.loss.slice(1));
    expect(net.finalW).toEqual(sim.finalW);
    expect(net.reports.map((r) => r.bitsUp)).toEqual(diffs(sim.bitsUp));
    expect(net.reports.map((r) => r.bitsDown)).toEqual(diffs(sim.bitsDown));
    expect(net.reports.map((r) => r.participants.length)).toEqual(sim.activeClients.slice(1));
  });

  it("absent: repeat keeps the simulator's trajectory when a client loses its connection mid-round and rejoins", async () => {
    // the round is rolled back and run again once the client is back; the client rewinds its own
    // step: nothing of the lost attempt remains
    const session = sessions[0]![1];
    const net = await overNetwork(session, { client: 1, round: 4, kind: "cut" }, "repeat");
    const sim = await inProcess(session);
    expect(net.repeats).toBeGreaterThan(0);
    expect(net.reports.map((r) => r.outcome.loss)).toEqual(sim.loss.slice(1));
    expect(net.finalW).toEqual(sim.finalW);
  });

  it("absent: repeat keeps the simulator's trajectory when a client misses a deadline, ignoring its late uplink", async () => {
    // 200 ms deadline: the round is abandoned without client 2, its late answer is ignored, the
    // round runs again and client 2 (rewound) answers the new attempt. Slow honest clients on a
    // busy machine may cause more repeats: they cannot change the trajectory either
    const session = sessions[1]![1];
    const net = await overNetwork(session, { client: 2, round: 3, kind: "late" }, "repeat");
    const sim = await inProcess(session);
    expect(net.repeats).toBeGreaterThan(0);
    expect(net.lates).toBeGreaterThan(0);
    expect(net.reports.map((r) => r.outcome.loss)).toEqual(sim.loss.slice(1));
    expect(net.finalW).toEqual(sim.finalW);
  });

  it("absent: skip closes the round without a client whose connection was cut; it rewinds, rejoins and catches up", async () => {
    const session = sessions[0]![1];
    const net = await overNetwork(session, { client: 1, round: 4, kind: "cut" });
    expect(net.repeats).toBe(0);
    expect(net.reports).toHaveLength(session.rounds);
    const missed = net.reports.filter((r) => r.absent.includes(1));
    expect(missed.length).toBeGreaterThan(0);
    // it answers again after its absence (its catch-up decoded and applied, or the server would drop it)
    expect(net.reports.some((r) => r.round > missed[0]!.round && r.participants.includes(1))).toBe(true);
    const ref = await replayWithAbsences(session, net.reports);
    expect(net.reports.map((r) => r.outcome.loss)).toEqual(ref.losses);
    expect(net.finalW).toEqual(ref.finalW);
  });

  it("absent: skip closes the round at the deadline without a late client, whose late uplink is ignored", async () => {
    const session = sessions[1]![1];
    const net = await overNetwork(session, { client: 2, round: 3, kind: "late" });
    expect(net.repeats).toBe(0);
    expect(net.lates).toBeGreaterThan(0);
    expect(net.reports).toHaveLength(session.rounds);
    expect(net.reports[3]!.absent).toContain(2);
    expect(net.reports.at(-1)!.participants).toContain(2);
    const ref = await replayWithAbsences(session, net.reports);
    expect(net.reports.map((r) => r.outcome.loss)).toEqual(ref.losses);
    expect(net.finalW).toEqual(ref.finalW);
  });
});
